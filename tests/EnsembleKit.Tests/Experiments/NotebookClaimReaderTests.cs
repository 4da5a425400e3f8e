using System.Text.Json.Nodes;
using EnsembleKit.Experiments;

namespace EnsembleKit.Tests.Experiments;

/// <summary>The reader on hand-made notebooks: old human claim lines, new JSON lines, printed checks, errors.</summary>
public sealed class NotebookClaimReaderTests
{
    const string Name = "99-test.ipynb";

    static readonly MappedClaimLine[] Lines =
    [
        new(Name, 1, "ensemble beats the best member"),
        new(Name, 3, "naive averaging degrades"),
        new(Name, null, "SWA beats the final iterate", "S4: SWA"),
    ];

    static readonly MappedPrintedCheck[] Prints =
    [
        new(Name, 24, "FGE beats Ind", HeldText: "FGE also beats Ind", FailedText: "FGE does not beat Ind"),
        new(Name, 14, "partitions", MeasuredText: "Claim 14 (partitions):"),
    ];

    [Fact]
    public void OldHumanLinesAreMappedWithTheirVerdictScaleStatementAndMeasuredPart()
    {
        var json = Notebook("cpu",
            Stream("Claim holds at scale 'cpu': the ensemble beats the best member (90.11% vs 89.62% (members 3); paper 88.54).\n",
                "Claim DOES NOT HOLD (enforced at the end) at scale 'cpu': naive averaging degrades as M grows (M=2: 62.42%, M=8: 70.00%).\n"),
            Stream("Claim does not hold at scale 'smoke' (not enforced: smoke runs only show that the cells run): SWA beats the final iterate (NLL 1.30 vs 1.29).\n"));
        var rows = NotebookClaimReader.Read(Name, json, Lines, Prints);

        Assert.Equal(5, rows.Count); // three lines, and the two printed checks the run never printed
        Assert.Equal(new LedgerRow(1, null, Name, "the ensemble beats the best member", "cpu", ClaimCatalog.Get(1).PaperValue,
            "90.11% vs 89.62% (members 3); paper 88.54", LedgerVerdict.Held), rows[0]);
        Assert.Equal((3, LedgerVerdict.Failed, "M=2: 62.42%, M=8: 70.00%"), (rows[1].ClaimId!.Value, rows[1].Verdict, rows[1].Kit));
        Assert.Equal((null, "S4: SWA", "smoke", LedgerVerdict.Failed), (rows[2].ClaimId, rows[2].Experiment, rows[2].Scale, rows[2].Verdict));
        Assert.Equal((24, LedgerVerdict.NoVerdictYet, "no verdict yet: the committed run does not print this check"), (rows[3].ClaimId!.Value, rows[3].Verdict, rows[3].VerdictText));
    }

    [Fact]
    public void NewJsonLinesAreReadAsTheyAreWithoutAMapEntry()
    {
        var verdict = new ClaimVerdict(10, "S2", "mean score 8.58 → 11.69", "—", "cpu", Verdict.NotCheckableHere, "no ProcGen environment for .NET here");
        var json = Notebook("cpu", Stream(verdict.ToSentence() + "\n", verdict.ToLine() + "\n"));
        var row = Assert.Single(NotebookClaimReader.Read(Name, json, [], []));
        Assert.Equal(new LedgerRow(10, null, Name, "no ProcGen environment for .NET here", "cpu", "mean score 8.58 → 11.69", "—",
            LedgerVerdict.NotCheckableHere), row);
        Assert.Equal("not checkable here", row.VerdictText);
    }

    [Fact]
    public void AnErrorThatIsNotAClaimMeansTheChecksNotReachedFailedToRun()
    {
        var json = Notebook("cpu",
            Stream("Claim holds at scale 'cpu': the ensemble beats the best member (1 vs 0).\n"),
            Error("InvalidOperationException", "Sequence contains no elements\n   at somewhere"));
        var rows = NotebookClaimReader.Read(Name, json, Lines, Prints);
        Assert.Equal(LedgerVerdict.Held, rows[0].Verdict);
        var notReached = rows.Skip(1).ToList();
        Assert.Equal(new int?[] { 3, null, 24, 14 }, notReached.Select(r => r.ClaimId));
        Assert.All(notReached, r => Assert.Equal(("failed to run", "InvalidOperationException: Sequence contains no elements"), (r.VerdictText, r.Kit)));

        // A notebook with nothing in the map still gets a row saying it failed to run.
        var alone = Assert.Single(NotebookClaimReader.Read(Name, Notebook("cpu", Error("IOException", "disk full")), [], []));
        Assert.Equal((null, "whole notebook", LedgerVerdict.FailedToRun, "IOException: disk full"), (alone.ClaimId, alone.Experiment, alone.Verdict, alone.Kit));
    }

    [Fact]
    public void AClaimThrownAsAnErrorIsAFailedClaimAndTheEnforceSummaryIsNoNewRow()
    {
        var json = Notebook("cpu",
            Error("ClaimFailedException", "Claim does not hold at scale 'cpu': the ensemble beats the best member (89.17% vs 89.53%)."),
            Stream("Claim DOES NOT HOLD (enforced at the end) at scale 'cpu': naive averaging degrades (1 vs 2).\n", "1 of 1 claims hold at scale 'cpu'.\n"),
            Error("ClaimFailedException", "1 of 2 claims do not hold at scale 'cpu': naive averaging degrades (1 vs 2)."));
        var rows = NotebookClaimReader.Read(Name, json, Lines.Take(2).ToList(), []);
        Assert.Equal([(1, LedgerVerdict.Failed, "89.17% vs 89.53%"), (3, LedgerVerdict.Failed, "1 vs 2")],
            rows.Select(r => (r.ClaimId!.Value, r.Verdict, r.Kit)));
    }

    [Fact]
    public void PrintedChecksTakeTheirVerdictFromTheLineAndAnUnknownClaimLineIsUnmapped()
    {
        var json = Notebook("cpu", Stream(
            "FGE does not beat Ind at equal budget here: 44% vs 43%.\n",
            "Claim 14 (partitions): 1/2 → 1/3 changes child accuracy by -10.85 points.\n",
            "Claim holds at scale 'cpu': something nobody mapped (3 vs 2).\n"));
        var rows = NotebookClaimReader.Read(Name, json, [], Prints);
        Assert.Equal(3, rows.Count);
        Assert.Equal((24, LedgerVerdict.Failed, "FGE beats Ind (printed, not enforced)", "FGE does not beat Ind at equal budget here: 44% vs 43%."),
            (rows[0].ClaimId!.Value, rows[0].Verdict, rows[0].Checked, rows[0].Kit));
        Assert.Equal((14, "no verdict yet: measured only, the notebook prints no verdict"), (rows[1].ClaimId!.Value, rows[1].VerdictText));
        Assert.Equal((null, "unmapped", LedgerVerdict.Held), (rows[2].ClaimId, rows[2].Experiment, rows[2].Verdict));

        var held = NotebookClaimReader.Read(Name, Notebook("cpu", Stream("FGE also beats Ind at equal budget: 41.97% vs 43.91%.\n")), [], Prints.Take(1).ToList());
        Assert.Equal(LedgerVerdict.Held, Assert.Single(held).Verdict);
    }

    [Fact]
    public void TheScaleComesFromTheRunsMetadataElseTheParametersCell()
    {
        const string line = "FGE also beats Ind at equal budget: 1 vs 2.\n";
        Assert.Equal("full", NotebookClaimReader.Read(Name, Notebook("full", Stream(line)), [], Prints.Take(1).ToList())[0].Scale);
        var parameters = new JsonObject
        {
            ["cell_type"] = "code",
            ["source"] = new JsonArray("var scale = \"smoke\";"),
            ["outputs"] = new JsonArray(),
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray("parameters") },
        };
        Assert.Equal("smoke", NotebookClaimReader.Read(Name, Notebook(null, parameters, Stream(line)), [], Prints.Take(1).ToList())[0].Scale);
    }

    [Fact]
    public void NotANotebookIsRefusedNamingTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => NotebookClaimReader.Read(Name, "{ not json", [], []));
        Assert.StartsWith("99-test.ipynb: not a notebook's JSON", e.Message);
    }

    [Theory]
    [InlineData("a claim (1 vs 2).", "a claim", "1 vs 2")]
    [InlineData("a claim (cross-run |cos| max 0.137 (mean 0.056); last 0.9999)", "a claim", "cross-run |cos| max 0.137 (mean 0.056); last 0.9999")]
    [InlineData("ensemble 90.11% > best member 89.62% (+0.49 points).", "ensemble 90.11% > best member 89.62%", "+0.49 points")]
    [InlineData("no measured part.", "no measured part", "")]
    public void TheMeasuredPartIsTheLastBalancedParenthesis(string rest, string statement, string measured) =>
        Assert.Equal((statement, measured), NotebookClaimReader.SplitMeasured(rest));

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
