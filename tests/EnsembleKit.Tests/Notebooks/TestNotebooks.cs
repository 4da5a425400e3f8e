using System.Text.Json.Nodes;
using EnsembleKit.Backend;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>Builds small notebooks for tests, and finds and runs (once per test process) the repository's notebooks.</summary>
public static class TestNotebooks
{
    public static string Repository => KitPaths.RepositoryRoot ?? throw new InvalidOperationException("tests must run inside the checkout");

    public static string RequirementsPath => Path.Combine(Repository, "requirements-dotnet.txt");

    /// <summary>
    /// Every notebook in notebooks/ (discovered, so notebooks added later are covered); hidden files such as the kernel
    /// test's <c>.kernel-*</c> working copies, which an interrupted run can leave behind, are not notebooks of the set.
    /// </summary>
    public static IEnumerable<object[]> All() =>
        Directory.EnumerateFiles(Path.Combine(Repository, "notebooks"), "*.ipynb").Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(p) });

    static readonly Dictionary<string, RunResult> s_smokeRuns = [];

    /// <summary>The smoke-scale run of a repository notebook, computed once and shared by the tests that need it.</summary>
    public static RunResult Smoke(string fileName)
    {
        lock (s_smokeRuns)
        {
            if (!s_smokeRuns.TryGetValue(fileName, out var result))
                s_smokeRuns[fileName] = result = RunSmoke(fileName);
            return result;
        }
    }

    /// <summary>
    /// Runs a repository notebook at smoke scale. A run that fails on libtorch's check in <c>c10/core/Scalar.h</c> is
    /// repeated once, and only such a run: TorchSharp 0.107 lets the garbage collector finalize the <c>Scalar</c> an
    /// operator creates (<c>a + b</c> passes alpha = 1) while libtorch still reads it, when another thread starts a
    /// collection at that moment (README, "Platform notes"). A smoke run is deterministic, so the repeat is a fair
    /// retest; any other failure, or the same one twice, fails the test.
    /// </summary>
    public static RunResult RunSmoke(string fileName)
    {
        var result = RunSmokeOnce(fileName);
        if (!IsTorchSharpScalarRace(result.Failure)) return result;
        Console.Error.WriteLine($"{fileName}: {result.Failure} -- the TorchSharp Scalar race; running the notebook once more");
        return RunSmokeOnce(fileName);
    }

    /// <summary>Whether a failure is libtorch reading a freed <c>c10::Scalar</c> (its type tag check).</summary>
    public static bool IsTorchSharpScalarRace(CellFailure? failure) =>
        failure is { ErrorName: "ExternalException" } && failure.ErrorMessage.Contains("c10/core/Scalar.h", StringComparison.Ordinal);

    /// <summary>
    /// One smoke run. Notebooks cache the models they train under <c>KIT_RUNS</c>, by default the checkout's
    /// <c>runs/</c>; unless <c>KIT_RUNS</c> is set, the run gets a fresh temp folder for them, deleted afterwards, so
    /// tests leave nothing in the checkout and every smoke run trains as in a fresh clone (no stale checkpoints).
    /// </summary>
    static RunResult RunSmokeOnce(string fileName)
    {
        if (Environment.GetEnvironmentVariable("KIT_RUNS") is { Length: > 0 }) return RunSmokeIn(fileName);
        using var runs = new TempFolder();
        Environment.SetEnvironmentVariable("KIT_RUNS", runs.Path);
        try { return RunSmokeIn(fileName); }
        finally { Environment.SetEnvironmentVariable("KIT_RUNS", null); }
    }

    static RunResult RunSmokeIn(string fileName) =>
        NotebookRunner.Run(Path.Combine(Repository, "notebooks", fileName), new RunOptions
        {
            Parameters = new Dictionary<string, string> { ["scale"] = "smoke" },
        });

    /// <summary>
    /// <c>#r</c> lines for the kit's assemblies as this test process loaded them (the kernel needs them referenced,
    /// as the notebooks' first cell does), and for Plotly.NET.Interactive's chart formatter.
    /// </summary>
    public static string KitReferences =>
        $"#r \"{typeof(TorchRuntime).Assembly.Location}\"\n#r \"{typeof(EnsembleKit.Plotting.Charts).Assembly.Location}\"\n" +
        "#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget: Plotly.NET.Interactive, 6.0.0\"";

    public static JsonObject Code(string source, params string[] tags) => NotebookCell.NewCode(source, tags).Json;

    /// <summary>A code cell as committed after an earlier run: execution count <paramref name="count"/> and one stdout output.</summary>
    public static JsonObject Executed(string source, int count, string stdout)
    {
        var cell = Code(source);
        cell["execution_count"] = count;
        cell["outputs"] = new JsonArray(Outputs.Stream("stdout", stdout));
        return cell;
    }

    public static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = MultilineText.Write(source),
    };

    /// <summary>
    /// A notebook from cells, saved as <c>test.ipynb</c> in <paramref name="folder"/> (returned path); pass a fresh
    /// folder of the test's <see cref="TempFolder"/>, so that it is deleted with it.
    /// </summary>
    public static string Write(string folder, params JsonObject[] cells)
    {
        var path = Path.Combine(folder, "test.ipynb");
        var root = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = EnsembleKit.Notebooks.NotebookConventions.PolyglotMetadata(),
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
        };
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    public static RunResult Run(string path, IReadOnlyDictionary<string, string>? parameters = null) =>
        NotebookRunner.Run(path, new RunOptions { Parameters = parameters ?? new Dictionary<string, string>(), RequirementsPath = RequirementsPath });

    /// <summary>All text of a cell's outputs of one type, e.g. ("stream", "stdout") or ("execute_result", "text/plain").</summary>
    public static string Text(NotebookCell cell, string outputType, string key)
    {
        var parts = new List<string>();
        foreach (var o in cell.Outputs.OfType<JsonObject>().Where(o => o["output_type"]?.GetValue<string>() == outputType))
        {
            if (outputType == "stream") { if (o["name"]?.GetValue<string>() == key) parts.Add(MultilineText.Read(o["text"])); }
            else if (o["data"]?[key] is { } node) parts.Add(MultilineText.Read(node));
        }
        return string.Concat(parts);
    }
}
