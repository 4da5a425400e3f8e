using System.Text.Json.Nodes;
using EnsembleKit.Experiments;

namespace EnsembleKit.Tests.Experiments;

/// <summary>The reader on hand-made notebooks: claim-verdict lines of every kind, errors, the scale of a failed run.</summary>
public sealed class NotebookClaimReaderTests
{
    const string Name = "99-test.ipynb";

    static readonly ClaimVerdict ProcGen = new(10, "S2", "mean score 8.58 → 11.69", "—", "cpu", Verdict.NotCheckableHere, "no ProcGen environment for .NET here");

    [Fact]
    public void VerdictLinesAreReadAsTheyAreAndTheSentencesBesideThemAreNotRowsAgain()
    {
        var swa = new ClaimVerdict(null, ClaimVerdict.NotInCatalogue, ClaimVerdict.NotInCatalogue, "NLL 1.30 vs 1.29", "cpu", Verdict.Failed,
            "SWA beats the final iterate", "S4: SWA");
        var literal = new ClaimVerdict(22, "S3", "no number", "+3.85 points", "cpu", Verdict.Failed, "literally: no gain on Gaussian-like data", PrintedOnly: true);
        var json = Notebook("cpu",
            Stream(ProcGen.ToSentence() + "\n", ProcGen.ToLine() + "\n", "some narrative\n"),
            Stream(swa.ToSentence() + "\n", swa.ToLine() + "\n", literal.ToSentence() + "\n", literal.ToLine() + "\n",
                "1 held, 1 failed, 1 not checkable here, at scale 'cpu'.\n"),
            Error("ClaimFailedException", "1 of 2 claims do not hold at scale 'cpu': S4: SWA: SWA beats the final iterate (NLL 1.30 vs 1.29)."));
        var rows = NotebookClaimReader.Read(Name, json);

        Assert.Equal(3, rows.Count);   // the enforce summary and its exception repeat verdicts already read
        Assert.Equal(new LedgerRow(10, null, Name, "no ProcGen environment for .NET here", "cpu", "mean score 8.58 → 11.69", "—",
            LedgerVerdict.NotCheckableHere), rows[0]);
        Assert.Equal("not checkable here", rows[0].VerdictText);
        Assert.Equal(new LedgerRow(null, "S4: SWA", Name, "SWA beats the final iterate", "cpu", "—", "NLL 1.30 vs 1.29", LedgerVerdict.Failed), rows[1]);
        Assert.Equal(new LedgerRow(22, null, Name, "literally: no gain on Gaussian-like data (printed, not enforced)", "cpu", "no number", "+3.85 points",
            LedgerVerdict.Failed), rows[2]);
    }

    [Fact]
    public void AnErrorThatIsNotAClaimMeansTheNotebookFailedToRun()
    {
        var json = Notebook("cpu", Stream(ProcGen.ToLine() + "\n"), Error("InvalidOperationException", "Sequence contains no elements\n   at somewhere"),
            Error("IOException", "a second error is not the first cause"));
        var rows = NotebookClaimReader.Read(Name, json);
        Assert.Equal(2, rows.Count);
        Assert.Equal(LedgerVerdict.NotCheckableHere, rows[0].Verdict);
        Assert.Equal(new LedgerRow(null, "whole notebook", Name, "the notebook's run", "cpu", "—", "InvalidOperationException: Sequence contains no elements",
            LedgerVerdict.FailedToRun), rows[1]);
        Assert.Equal("failed to run", rows[1].VerdictText);
        Assert.Empty(NotebookClaimReader.Read(Name, Notebook("cpu", Stream("Claim holds at scale 'cpu': a sentence is no verdict (1 vs 2).\n"))));
    }

    [Fact]
    public void ABrokenVerdictLineIsAnErrorNamingTheLine() =>
        Assert.Contains("not a valid claim-verdict line", Assert.Throws<FormatException>(() =>
            NotebookClaimReader.Read(Name, Notebook("cpu", Stream(ClaimVerdict.LinePrefix + "{\"id\":7,\n")))).Message);

    [Fact]
    public void AFailedRunTakesItsScaleFromTheRunsMetadataElseTheParametersCell()
    {
        var failed = Error("IOException", "disk full");
        Assert.Equal("full", Assert.Single(NotebookClaimReader.Read(Name, Notebook("full", failed))).Scale);
        var parameters = new JsonObject
        {
            ["cell_type"] = "code",
            ["source"] = new JsonArray("var scale = \"smoke\";"),
            ["outputs"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") },
        };
        Assert.Equal("smoke", Assert.Single(NotebookClaimReader.Read(Name, Notebook(null, parameters, Error("IOException", "disk full")))).Scale);
    }

    [Fact]
    public void NotANotebookIsRefusedNamingTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => NotebookClaimReader.Read(Name, "{ not json"));
        Assert.StartsWith("99-test.ipynb: not a notebook's JSON", e.Message);
    }

    /// <summary>An nbformat 4 notebook of code cells; <paramref name="scale"/> goes where kit run records it (none when null).</summary>
    internal static string Notebook(string? scale, params JsonObject[] cells)
    {
        var metadata = new JsonObject();
        if (scale is not null) metadata["ensemblekit"] = new JsonObject { ["parameters"] = new JsonObject { ["scale"] = scale } };
        return new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = metadata,
            ["cells"] = new JsonArray([.. cells]),
        }.ToJsonString();
    }

    internal static JsonObject Stream(params string[] lines) => Cell(new JsonObject
    {
        ["output_type"] = "stream",
        ["name"] = "stdout",
        ["text"] = new JsonArray([.. lines.Select(l => JsonValue.Create(l))]),
    });

    internal static JsonObject Error(string name, string message) => Cell(new JsonObject
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = message,
        ["traceback"] = new JsonArray(),
    });

    static JsonObject Cell(JsonObject output) => new()
    {
        ["cell_type"] = "code",
        ["source"] = new JsonArray("// a cell"),
        ["metadata"] = new JsonObject(),
        ["outputs"] = new JsonArray(output),
    };
}
