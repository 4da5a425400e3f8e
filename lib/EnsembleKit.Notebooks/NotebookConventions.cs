using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks;

/// <summary>
/// The conventions every EnsembleKit notebook follows (DESIGN.md, "Notebooks"), in one place so that the
/// runner, the tests and notebook authors share them.
/// </summary>
public static class NotebookConventions
{
    /// <summary>
    /// Where the first cell finds the built library, relative to <c>notebooks/</c>: the Plotting project's
    /// Release output holds both EnsembleKit.dll and EnsembleKit.Plotting.dll after <c>dotnet build -c Release</c>.
    /// </summary>
    public const string LibraryFolder = "../lib/EnsembleKit.Plotting/bin/Release/net8.0";

    /// <summary>
    /// The first code cell of every notebook, verbatim. The <c>#r "nuget:"</c> lines are the pins of
    /// requirements-dotnet.txt that notebooks need (a test keeps them equal); Plotly.NET.Interactive is the
    /// kernel's chart formatter (kernel-only: the library does not reference it). Referencing EnsembleKit.Plotting
    /// also hands Plotly.NET the kernel's FSharp.Core (<c>FSharpCoreBinding</c>).
    /// </summary>
    public const string CanonicalFirstCell =
        """
        // EnsembleKit notebook set-up (the same first cell in every notebook; see notebooks/README.md).
        // VS Code (Polyglot Notebooks) or Jupyter (.NET Interactive kernel): run `dotnet build -c Release` in the repository first.
        // Headless: `kit run notebooks/<name>.ipynb -p scale=smoke` runs the same kernel in-process.
        #r "nuget: TorchSharp-cpu, 0.107.0"
        #r "nuget: Plotly.NET, 6.0.0"
        #r "nuget: Plotly.NET.Interactive, 6.0.0"
        #r "nuget: Microsoft.Data.Analysis, 0.23.1"
        #r "../lib/EnsembleKit.Plotting/bin/Release/net8.0/EnsembleKit.dll"
        #r "../lib/EnsembleKit.Plotting/bin/Release/net8.0/EnsembleKit.Plotting.dll"
        using EnsembleKit.Backend;
        using EnsembleKit.Data;
        using EnsembleKit.Models;
        using EnsembleKit.Training;
        using EnsembleKit.Ensembles;
        using EnsembleKit.Metrics;
        using EnsembleKit.Plotting;
        TorchRuntime.EnsureInitialized();
        Console.WriteLine($"EnsembleKit on TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {TorchSharp.torch.__version__}, device {TorchRuntime.Device.type}");
        """;

    /// <summary>Tag of the cell holding the defaults of a notebook's parameters (papermill's convention).</summary>
    public const string ParametersTag = "parameters";

    /// <summary>Tag of the cell the runner inserts after the parameters cell with the <c>-p</c> values.</summary>
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>The scales every notebook accepts for its <c>scale</c> parameter.</summary>
    public static readonly IReadOnlyList<string> Scales = ["smoke", "cpu", "full"];

    /// <summary>Notebook-level metadata of a Polyglot C# notebook (kernelspec <c>.net-csharp</c>).</summary>
    public static JsonObject PolyglotMetadata() => new()
    {
        ["kernelspec"] = new JsonObject
        {
            ["display_name"] = ".NET (C#)",
            ["language"] = "C#",
            ["name"] = ".net-csharp",
        },
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["file_extension"] = ".cs",
            ["mimetype"] = "text/x-csharp",
            ["pygments_lexer"] = "csharp",
            ["version"] = "12.0",
        },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };
}
