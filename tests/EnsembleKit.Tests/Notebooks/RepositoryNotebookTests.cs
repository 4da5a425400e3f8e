using System.Text.Json.Nodes;
using EnsembleKit.Notebooks;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>Every notebook in notebooks/: canonical first cell, pinned packages, runs at smoke scale, valid output.</summary>
public class RepositoryNotebookTests
{
    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void FirstTwoCodeCellsAreTheSetUp(string notebook)
    {
        var code = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)).Cells.Where(c => c.IsCode).Take(2).ToList();
        Assert.Equal(NotebookConventions.CanonicalSourceCell.ReplaceLineEndings("\n"), code[0].Source.ReplaceLineEndings("\n"));
        Assert.Equal(NotebookConventions.CanonicalPackageCell.ReplaceLineEndings("\n"), code[1].Source.ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void NoCellRepeatsAUsingThatTheSetUpImports(string notebook)
    {
        var imported = NotebookConventions.ImportedNamespaces.ToHashSet(StringComparer.Ordinal);
        var repeats = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)).Cells.Where(c => c.IsCode)
            .SelectMany(c => c.Source.ReplaceLineEndings("\n").Split('\n'))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s*using\s+(?<ns>[\w.]+)\s*;\s*$"))
            .Where(m => m.Success && imported.Contains(m.Groups["ns"].Value)).Select(m => m.Value.Trim()).ToList();
        Assert.True(repeats.Count == 0, $"{notebook}: the set-up already imports {string.Join(", ", repeats)}");
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void NugetLinesMatchRequirements(string notebook)
    {
        var requirements = PackageRequirements.Load(TestNotebooks.RequirementsPath);
        var cells = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)).Cells.Where(c => c.IsCode).ToList();
        var packages = cells.SelectMany(c => CellSource.Parse(c.Source, c.KernelName).Packages).ToList();
        Assert.NotEmpty(packages);
        foreach (var p in packages) requirements.Require(p.Name, p.Version); // throws naming the mismatch
    }

    [Fact]
    public void CanonicalCellPinsExactlyTheNotebookPackagesOfRequirements()
    {
        var requirements = PackageRequirements.Load(TestNotebooks.RequirementsPath);
        var packages = CellSource.Parse(NotebookConventions.CanonicalPackageCell).Packages;
        foreach (var p in packages) requirements.Require(p.Name, p.Version);
        // Every kernel-only pin is there (the VS Code kernel needs it), and the packages a notebook uses.
        var names = packages.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(requirements.Packages.Where(p => p.KernelOnly), p => Assert.Contains(p.Name, names));
        Assert.Subset(names, new HashSet<string>(["TorchSharp-cpu", "Plotly.NET", "Microsoft.Data.Analysis", "EnsembleKit", "EnsembleKit.Plotting"], StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void CanonicalCellsTakeTheKitFromItsPackageFolderAndNoBuiltDll()
    {
        // The source cell imports the script that building the kit writes into lib/packages (relative to notebooks/).
        Assert.Contains("#!import ../lib/packages/nuget-source.dib", NotebookConventions.CanonicalSourceCell);
        Assert.Equal(Path.Combine(TestNotebooks.Repository, "lib", "packages"),
            Path.GetFullPath(Path.Combine(TestNotebooks.Repository, "notebooks", NotebookConventions.PackageFolder)));
        var packages = CellSource.Parse(NotebookConventions.CanonicalPackageCell);
        Assert.Empty(packages.Assemblies);
        foreach (var id in NotebookConventions.KitPackages)
            Assert.Contains(packages.Packages, p => p.Name == id && p.Version == NotebookConventions.KitVersion);
    }

    [Fact]
    public void BuildingTheKitPacksTheNotebooksPackagesAndWritesTheirSource()
    {
        // The test project references the kit tool, whose build packs EnsembleKit and EnsembleKit.Plotting (Release) into
        // lib/packages and writes nuget-source.dib there: one #i line with that folder's absolute path.
        var folder = Path.Combine(TestNotebooks.Repository, "lib", "packages");
        foreach (var id in NotebookConventions.KitPackages)
            Assert.True(File.Exists(Path.Combine(folder, $"{id}.{NotebookConventions.KitVersion}.nupkg")), $"{id} {NotebookConventions.KitVersion} is not in {folder}");
        var script = File.ReadAllLines(Path.Combine(folder, NotebookConventions.SourceScript));
        Assert.Equal("#!csharp", script[0]);
        Assert.Equal($"#i \"nuget: {folder}\"", Assert.Single(script, l => l.StartsWith("#i", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void HasAParametersCellWithScale(string notebook)
    {
        var cells = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)).Cells;
        var parameters = Assert.Single(cells, c => c.HasTag(NotebookConventions.ParametersTag));
        Assert.Equal("string", ParameterInjection.Declared(parameters.Source)["scale"]);
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void IsCommittedExecutedAtCpuScale(string notebook)
    {
        var committed = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook));
        var run = committed.Metadata["ensemblekit"];
        Assert.True(run is not null, $"{notebook} was not executed with kit run (commit it after `kit run notebooks/{notebook} -p scale=cpu --in-place`)");
        Assert.Equal("cpu", run!["parameters"]?["scale"]?.GetValue<string>());
        if (run["succeeded"]?.GetValue<bool>() != true)
        {
            // An honest negative result is allowed: the run may stop only in its last code cell, on a paper claim
            // that did not hold at cpu scale (VerdictLedger.Enforce throws ClaimFailedException), and the output says so.
            var json = JsonNode.Parse(File.ReadAllText(committed.Path!))!;
            var lastOutputs = json["cells"]!.AsArray().Last(c => c!["cell_type"]!.GetValue<string>() == "code")!["outputs"]!.AsArray();
            Assert.True(lastOutputs.Any(o => o!["output_type"]!.GetValue<string>() == "error" && o["ename"]!.GetValue<string>().Contains("ClaimFailedException")),
                $"{notebook}: the committed run failed at cell {run["failed_cell"]}, and not on a claim in its last cell");
        }
        Assert.Empty(NbformatValidator.Problems(File.ReadAllText(committed.Path!)));
        // Its size is its outputs: charts load plotly.js when shown rather than carrying a 3.5 MB copy.
        Assert.DoesNotContain("plotly.js v2", File.ReadAllText(committed.Path!));
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void RunsAtSmokeScaleWithoutErrorsAndWritesValidNbformat(string notebook)
    {
        var result = TestNotebooks.Smoke(notebook);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var json = result.Notebook.ToJson();
        var problems = NbformatValidator.Problems(json);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var written = Notebook.Parse(json);
        foreach (var cell in written.Cells.Where(c => c.IsCode))
        {
            Assert.NotNull(cell.Json["outputs"]);
            if (CellSource.IsMarkdown(CellSource.Parse(cell.Source, cell.KernelName).Language)) continue;
            Assert.NotNull(cell.Json["execution_count"]);
            Assert.True(cell.Metadata["ensemblekit"]?["wall_seconds"] is not null, $"cell `{cell.FirstLine}` has no wall time");
            Assert.DoesNotContain(cell.Outputs.OfType<JsonObject>(), o => o["output_type"]?.GetValue<string>() == "error");
        }
        Assert.Contains(written.Cells, c => c.HasTag(NotebookConventions.InjectedParametersTag) && c.Source.Contains("\"smoke\""));
    }

    [Fact]
    public void Notebook01ShowsChartsTablesAndTheClaimAtSmokeScale()
    {
        var result = TestNotebooks.Smoke("01-fmnist-deep-ensembles.ipynb");
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var html = string.Concat(result.Notebook.Cells.Select(c => TestNotebooks.Text(c, "execute_result", "text/html") + TestNotebooks.Text(c, "display_data", "text/html")));
        Assert.True(System.Text.RegularExpressions.Regex.Matches(html, "var renderPlotly_").Count >= 4, "expected training curves, bars, reliability and confusion charts");
        // Charts are the kernel's (Plotly.NET.Interactive): they load plotly.js when shown instead of carrying 3.5 MB each.
        Assert.DoesNotContain("plotly.js v2", html);
        Assert.Contains("<table", html);
        var last = result.Notebook.Cells.Last(c => c.IsCode);
        Assert.Contains("Claim 1 (S0) held at scale 'smoke'", TestNotebooks.Text(last, "stream", "stdout"));   // VerdictLedger's sentence
    }

    [Fact]
    public void Notebook01GivesTheSameNumbersTwice()
    {
        // Both runs fresh and back to back: the cached smoke run may come from earlier in the suite, before an in-process
        // CLI test changed libtorch's thread count (e.g. --threads 1), and another thread count may round differently.
        var first = TestNotebooks.RunSmoke("01-fmnist-deep-ensembles.ipynb");
        var second = TestNotebooks.RunSmoke("01-fmnist-deep-ensembles.ipynb");
        Assert.True(first.Succeeded && second.Succeeded);
        // Tables, charts (their data) and results; stdout/stderr hold wall times, so they are left out.
        static IEnumerable<string> Rich(RunResult r) => r.Notebook.Cells.Select(c =>
            TestNotebooks.Text(c, "execute_result", "text/plain") + TestNotebooks.Text(c, "execute_result", "text/html")
            + TestNotebooks.Text(c, "display_data", "text/plain") + TestNotebooks.Text(c, "display_data", "text/html"));
        // The kernel names each chart and table afresh (a GUID, a clock tick); the content must be equal.
        static string Unnamed(string html) => System.Text.RegularExpressions.Regex.Replace(html,
            @"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|table_\d+", "<id>");
        Assert.Equal(Rich(first).Select(Unnamed), Rich(second).Select(Unnamed));
        Assert.Contains(Rich(first), s => s.Contains("ensemble"));
    }
}
