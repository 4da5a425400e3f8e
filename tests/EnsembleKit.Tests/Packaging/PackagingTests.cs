using System.IO.Compression;
using System.Text.Json.Nodes;
using EnsembleKit.Tests.Notebooks;

namespace EnsembleKit.Tests.Packaging;

/// <summary>
/// The kit as its users get it (issue 19): packages packed from this checkout (<see cref="LocalPackages"/>), then used from
/// folders outside the repository: the <c>kit</c> tool, a console project, a notebook in the real kernel; and packing twice
/// gives the same library bytes.
/// </summary>
[Collection(LocalPackagesCollection.Name)]
public sealed class PackagingTests(LocalPackages packages)
{
    static readonly TimeSpan Long = TimeSpan.FromMinutes(6);

    [Fact]
    public void LibraryPackageHasMetadataTheKernelExtensionAndOnlyTheManagedTorchSharpDependency()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(packages.Folder, $"EnsembleKit.{packages.Version}.nupkg"));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net8.0/EnsembleKit.dll", names);
        Assert.Contains("lib/net8.0/EnsembleKit.xml", names);
        Assert.Contains("interactive-extensions/dotnet/EnsembleKit.Interactive.dll", names);
        Assert.Contains("interactive-extensions/dotnet/extension.dib", names);
        Assert.Contains("buildTransitive/EnsembleKit.targets", names);
        Assert.Contains("README.md", names);
        Assert.Contains("CHANGELOG.md", names);
        using var reader = new StreamReader(zip.GetEntry("EnsembleKit.nuspec")!.Open());
        var nuspec = System.Xml.Linq.XDocument.Parse(reader.ReadToEnd());
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(packages.Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Contains("CHANGELOG.md", metadata.Element(ns + "releaseNotes")!.Value);
        // The managed TorchSharp and no native bundle (the application picks libtorch); ImageSharp for the JPEG corruption.
        Assert.Equal(["SixLabors.ImageSharp", "TorchSharp"], metadata.Descendants(ns + "dependency").Select(d => (string)d.Attribute("id")!).Order(StringComparer.Ordinal).ToArray());
        Assert.True(File.Exists(Path.Combine(packages.Folder, $"EnsembleKit.{packages.Version}.snupkg")));
        using var symbols = ZipFile.OpenRead(Path.Combine(packages.Folder, $"EnsembleKit.{packages.Version}.snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName == "lib/net8.0/EnsembleKit.pdb");
    }

    [Fact]
    public void ToolInstallsAndReportsItsVersionAndTheNativeRuntime()
    {
        var tools = packages.NewFolder();
        ProcessRun.Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages.Folder, "--version", packages.Version, "EnsembleKit.Cli"],
            tools, Long);
        var kit = Path.Combine(tools, "kit");
        var version = ProcessRun.Run(kit, ["--version"], tools, TimeSpan.FromMinutes(1)).Trim();
        // The package version, then the commit it was built from (InformationalVersion: version+sha).
        var head = ProcessRun.Run("git", ["rev-parse", "HEAD"], TestSupport.RepoRoot, TimeSpan.FromMinutes(1)).Trim();
        Assert.Equal($"{packages.Version}+{head}", version);
        var doctor = ProcessRun.Run(kit, ["doctor"], tools, TimeSpan.FromMinutes(2));
        Assert.Contains("TorchSharp       0.107.0", doctor);
        Assert.Contains("libtorch         2.10.0", doctor);
        // kit run outside any checkout (no requirements-dotnet.txt to pin against): the kit's package at the tool's version.
        var notebook = Path.Combine(tools, "outside.ipynb");
        File.WriteAllText(notebook, new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = JupyterKernel.KernelName, ["display_name"] = ".NET (C#)", ["language"] = "C#" } },
            ["cells"] = new JsonArray(
                Cell("source", $"#i \"nuget: {packages.Folder}\""),
                Cell("kit", $"#r \"nuget: EnsembleKit, {packages.Version}\"\nConsole.WriteLine($\"device {{EnsembleKit.Backend.TorchRuntime.Device.type}}\");")),
        }.ToJsonString());
        var run = ProcessRun.Run(kit, ["run", notebook, "--out", Path.Combine(tools, "outside.out.ipynb")], tools, Long);
        Assert.Contains("2 code cells ran", run);
        Assert.Contains("device CPU", File.ReadAllText(Path.Combine(tools, "outside.out.ipynb")));
    }

    [Fact]
    public void ConsoleProjectOutsideTheRepositoryTrainsAndScoresAnEnsemble()
    {
        var project = packages.NewFolder();
        WriteNuGetConfig(project);
        ProcessRun.Run("dotnet", ["new", "console", "--framework", "net10.0", "--name", "Consumer", "--output", project], project, Long);
        ProcessRun.Run("dotnet", ["add", "package", "EnsembleKit", "--version", packages.Version], project, Long);
        ProcessRun.Run("dotnet", ["add", "package", "TorchSharp-cpu", "--version", "0.107.0"], project, Long);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using EnsembleKit.Data;
            using EnsembleKit.Ensembles;
            using EnsembleKit.Evaluation;
            using EnsembleKit.Models;
            using EnsembleKit.Training;
            using TorchSharp;

            // TorchSharp first, before any kit type: the package's start-up initializer has loaded libtorch already.
            using (var ones = torch.ones(2, 3)) Console.WriteLine(FormattableString.Invariant($"sum {ones.sum().item<float>()}"));
            using var trainAll = FashionMnist.Load(train: true);
            using var testAll = FashionMnist.Load(train: false);
            using var train = trainAll.Take(400);
            using var test = testAll.Take(200);
            var options = new TrainingOptions { Epochs = 3, BatchSize = 50, Progress = ProgressSinks.None };
            using var ensemble = DeepEnsemble.Train(() => new Mlp([(784, 64), (64, 10)]), train, options, count: 2);
            var report = EnsembleEvaluation.Evaluate(ensemble, test);
            Console.Write(report.ToTable());
            Console.WriteLine(FormattableString.Invariant($"members {report.Members.Count} ensemble accuracy {report.Ensemble.Accuracy:F4}"));
            """);
        var output = ProcessRun.Run("dotnet", ["run", "-c", "Release"], project, Long);
        Assert.Contains("sum 6", output);
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("members ", StringComparison.Ordinal));
        var parts = last.Split(' ');
        Assert.Equal("2", parts[1]);
        // 400 training images, 3 epochs: far above chance (0.10), far from perfect.
        var accuracy = double.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.45, 0.99);
    }

    [JupyterKernelFact]
    public void NotebookWithOnlyPackageReferencesRunsInTheRealKernel()
    {
        var folder = packages.NewFolder();
        var setup = $"#i \"nuget: {packages.Folder}\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: EnsembleKit, {packages.Version}\"";
        // The first cell that touches TorchSharp does not mention the kit: the kernel extension has loaded libtorch. No cell
        // writes a using: the package's extension.dib has imported TorchSharp and the kit's namespaces.
        var torchFirst = "var ones = torch.ones(2, 3);\nConsole.WriteLine(FormattableString.Invariant($\"sum {ones.sum().item<float>()}\"));";
        var train = """
            var trainAll = FashionMnist.Load(train: true);
            var testAll = FashionMnist.Load(train: false);
            var trainSet = trainAll.Take(400);
            var testSet = testAll.Take(200);
            var options = new TrainingOptions { Epochs = 3, BatchSize = 50, Progress = ProgressSinks.None };
            var ensemble = DeepEnsemble.Train(() => new Mlp(new[] { (784, 64), (64, 10) }), trainSet, options, count: 2);
            var report = EnsembleEvaluation.Evaluate(ensemble, testSet);
            Console.WriteLine(FormattableString.Invariant($"members {report.Members.Count} ensemble accuracy {report.Ensemble.Accuracy:F4}"));
            report
            """;
        var notebook = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["name"] = JupyterKernel.KernelName, ["display_name"] = ".NET (C#)", ["language"] = "C#" },
                ["language_info"] = new JsonObject { ["name"] = "C#" },
            },
            ["cells"] = new JsonArray(Cell("setup", setup), Cell("torch", torchFirst), Cell("train", train)),
        };
        var input = Path.Combine(folder, "consumer.ipynb");
        File.WriteAllText(input, notebook.ToJsonString());
        using var temp = new TempFolder();
        ProcessRun.Run("jupyter",
            ["nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={JupyterKernel.KernelName}",
             "--ExecutePreprocessor.timeout=600", "--output", "executed.ipynb", input],
            folder, Long, new Dictionary<string, string> { ["TMPDIR"] = temp.Path });
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "executed.ipynb")))!["cells"]!.AsArray();
        var outputs = cells.Select(c => c!["outputs"]!.AsArray().Select(o => o!).ToList()).ToList();
        // --allow-errors above keeps the run going so that a failing cell's error lands here, in the assertion message.
        var errors = outputs.SelectMany(o => o).Where(o => (string?)o["output_type"] == "error").Select(o => o.ToJsonString()).ToList();
        Assert.True(errors.Count == 0, "errors in the notebook:\n" + string.Join("\n", errors));
        string Text(int cell) => string.Join("\n", outputs[cell].Select(o => o.ToJsonString()));
        Assert.Matches(@"EnsembleKit \d+\.\d+\.\d+: TorchSharp 0\.107\.0, libtorch 2\.10\.0[.\d]*, device cpu, \d+ threads", Text(0));
        Assert.Contains("sum 6", Text(1));
        Assert.Contains("interactive-extensions/dotnet/EnsembleKit.Interactive.dll", Text(0));
        Assert.Contains("members 2 ensemble accuracy", Text(2));
        // nbformat keeps multi-line output as a list of lines.
        var html = outputs[2].Where(o => (string?)o["output_type"] == "execute_result")
            .Select(o => o["data"]!["text/html"] is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : (string)o["data"]!["text/html"]!).Single();
        Assert.Contains("<table><caption>deep ensemble", html);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "<tr").Count - 1); // header, 2 members, ensemble
    }

    [JupyterKernelFact]
    public void RepositoryNotebookCopiedIntoAnEmptyFolderRunsWithTheSourceLinePointingAtThePackages()
    {
        // As notebooks/README.md tells a user: copy a notebook anywhere and replace its first cell (the #!import of the
        // repository's package folder) with an #i line naming a folder that holds the packages. Here that folder is the
        // fixture's, whose version differs from the checkout's, so the #r lines name it too.
        var folder = packages.NewFolder();
        var notebook = EnsembleKit.Notebooks.Format.Notebook.Load(Path.Combine(TestSupport.RepoRoot, "notebooks", "01-fmnist-deep-ensembles.ipynb"));
        var setup = notebook.Cells.Where(c => c.IsCode).Take(2).ToList();
        Assert.Equal(EnsembleKit.Notebooks.NotebookConventions.CanonicalSourceCell, setup[0].Source);
        setup[0].Source = $"#i \"nuget: {packages.Folder}\"";
        setup[1].Source = setup[1].Source.Replace($", {EnsembleKit.Notebooks.NotebookConventions.KitVersion}\"", $", {packages.Version}\"", StringComparison.Ordinal);
        var copy = Path.Combine(folder, "01-fmnist-deep-ensembles.ipynb");
        notebook.Save(copy);
        var executed = JupyterKernel.Run(copy, new Dictionary<string, string> { ["scale"] = "smoke" }, TimeSpan.FromMinutes(10));
        var code = executed.Cells.Where(c => c.IsCode).ToList();
        // The outputs' own text, not their JSON: System.Text.Json writes ' as \u0027, so "scale 'smoke'" is not in the JSON.
        string Text(EnsembleKit.Notebooks.Format.NotebookCell cell) => string.Join("\n", cell.Outputs.Select(OutputText));
        Assert.DoesNotContain(code, c => c.Outputs.Any(o => (string?)o!["output_type"] == "error"));
        Assert.Contains($"EnsembleKit {packages.Version.Split('-')[0]}: TorchSharp 0.107.0", Text(code[1]));
        Assert.Contains($"ensemblekit/{packages.Version}/interactive-extensions", Text(code[1]));
        Assert.Contains("Claim 1 (S0) held at scale 'smoke'", Text(code[^1]));   // VerdictLedger's sentence
    }

    [Fact]
    public void PackingTheSameSourcesTwiceGivesByteIdenticalLibraries()
    {
        // A second pack of the library in another artifacts folder (other paths, a full build) must give the same DLLs.
        var again = packages.NewFolder();
        packages.Pack("lib/EnsembleKit/EnsembleKit.csproj", again, Path.Combine(packages.NewFolder(), "artifacts"));
        foreach (var entry in new[] { "lib/net8.0/EnsembleKit.dll", "interactive-extensions/dotnet/EnsembleKit.Interactive.dll" })
        {
            var first = Entry(Path.Combine(packages.Folder, $"EnsembleKit.{packages.Version}.nupkg"), entry);
            var second = Entry(Path.Combine(again, $"EnsembleKit.{packages.Version}.nupkg"), entry);
            Assert.True(first.Length > 10_000, $"{entry} is only {first.Length} bytes");
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first)), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(second)));
        }
    }

    static byte[] Entry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    static JsonObject Cell(string id, string source) => new()
    {
        ["cell_type"] = "code",
        ["id"] = id,
        ["metadata"] = new JsonObject { ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" } },
        ["execution_count"] = null,
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };

    /// <summary>A nuget.config adding the local package folder to the user's sources (nuget.org stays for TorchSharp).</summary>
    void WriteNuGetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="ensemblekit-local" value="{packages.Folder}" />
          </packageSources>
        </configuration>
        """);

    /// <summary>A stream output's text or a display's text/plain (either a string or nbformat's list of lines).</summary>
    private static string OutputText(JsonNode? output)
    {
        var value = output?["text"] ?? output?["data"]?["text/plain"];
        return value switch
        {
            JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
            JsonValue text => (string?)text ?? "",
            _ => output?.ToJsonString() ?? "",
        };
    }
}

/// <summary>A fact that needs the Jupyter-driven kernel: skipped when it is missing, except under CI (see <see cref="JupyterKernelTheoryAttribute"/>).</summary>
public sealed class JupyterKernelFactAttribute : FactAttribute
{
    public JupyterKernelFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && JupyterKernel.Unavailable is { } why) Skip = why;
    }
}
