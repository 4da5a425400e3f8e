using System.Text.Json.Nodes;

namespace EnsembleKit.Notebooks;

/// <summary>
/// The conventions every EnsembleKit notebook follows (notebooks/README.md, "Writing a notebook"), in one place so that the
/// runner, the tests and notebook authors share them.
/// </summary>
public static class NotebookConventions
{
    /// <summary>
    /// Where the first cell finds the kit's packages, relative to <c>notebooks/</c>: every build of the kit tool (and
    /// <c>dotnet pack Kit.sln -c Release</c>) packs EnsembleKit and EnsembleKit.Plotting there, with
    /// <see cref="SourceScript"/> beside them.
    /// </summary>
    public const string PackageFolder = "../lib/packages";

    /// <summary>
    /// The file in <see cref="PackageFolder"/> that the first cell imports: <c>#i "nuget: /absolute/path/lib/packages"</c>
    /// for this checkout, written at pack time, because the kernel takes only an absolute folder as a NuGet source.
    /// </summary>
    public const string SourceScript = "nuget-source.dib";

    /// <summary>The kit's own packages, which a notebook references at the kit's version (<see cref="KitVersion"/>).</summary>
    public static readonly IReadOnlyList<string> KitPackages = ["EnsembleKit", "EnsembleKit.Plotting"];

    /// <summary>The kit's package version, e.g. <c>0.1.0</c> (<c>VersionPrefix</c> in Directory.Build.props, and a suffix if built with one).</summary>
    public static string KitVersion { get; } = PackageVersionOf(typeof(NotebookConventions).Assembly);

    /// <summary>An assembly's package version: its informational version without the <c>+commit</c> part.</summary>
    public static string PackageVersionOf(System.Reflection.Assembly assembly)
    {
        var informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().SingleOrDefault()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return informational.Split('+')[0];
    }

    /// <summary>
    /// The first code cell of every notebook, verbatim: the kit's package folder as a NuGet source. The kernel takes only
    /// an absolute folder in <c>#i "nuget: ..."</c> and restores a cell's <c>#r "nuget:"</c> lines before it runs the
    /// cell's <c>#!import</c>, so the source is a cell of its own that imports <see cref="SourceScript"/>, which building
    /// the kit writes into <see cref="PackageFolder"/>.
    /// </summary>
    public static string CanonicalSourceCell { get; } =
        $"""
        // Set-up: the kit's packages as a NuGet source (outside this repository: #i "nuget: /path/to/EnsembleKit/lib/packages").
        #!import {PackageFolder}/{SourceScript}
        """;

    /// <summary>
    /// The second code cell of every notebook, verbatim. The third-party <c>#r "nuget:"</c> lines are the pins of
    /// requirements-dotnet.txt that notebooks need (a test keeps them equal); Plotly.NET.Interactive is the
    /// kernel's chart formatter (kernel-only: the library does not reference it). EnsembleKit's kernel extension loads
    /// libtorch and prints the set-up line, and its <c>extension.dib</c> imports the kit's namespaces and TorchSharp's;
    /// EnsembleKit.Plotting's imports <c>EnsembleKit.Plotting</c>, and the package hands Plotly.NET the kernel's
    /// FSharp.Core (<c>FSharpCoreBinding</c>). So no later cell needs a <c>using</c> for the kit.
    /// </summary>
    public static string CanonicalPackageCell { get; } =
        $"""
        // Set-up: the pinned packages (requirements-dotnet.txt); the kit's bring its namespaces and load libtorch.
        #r "nuget: TorchSharp-cpu, 0.107.0"
        #r "nuget: Plotly.NET, 6.0.0"
        #r "nuget: Plotly.NET.Interactive, 6.0.0"
        #r "nuget: Microsoft.Data.Analysis, 0.23.1"
        #r "nuget: EnsembleKit, {KitVersion}"
        #r "nuget: EnsembleKit.Plotting, {KitVersion}"
        """;

    /// <summary>
    /// The namespaces the kit's packages import into a notebook when they load (their <c>extension.dib</c> scripts): a
    /// notebook cell that writes <c>using</c> for one of them repeats what the set-up did.
    /// </summary>
    public static readonly IReadOnlyList<string> ImportedNamespaces =
    [
        "TorchSharp", "EnsembleKit.Analysis", "EnsembleKit.Backend", "EnsembleKit.Data", "EnsembleKit.Data.Corruptions",
        "EnsembleKit.Distillation", "EnsembleKit.Diversity", "EnsembleKit.Ensembles", "EnsembleKit.Evaluation",
        "EnsembleKit.Experiments", "EnsembleKit.Metrics", "EnsembleKit.Models", "EnsembleKit.Subnetworks", "EnsembleKit.Training",
        "EnsembleKit.Training.Lockstep", "EnsembleKit.Uncertainty", "EnsembleKit.WeightSpace", "EnsembleKit.Plotting",
    ];

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
