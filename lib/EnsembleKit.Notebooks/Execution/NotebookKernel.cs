using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// The .NET Interactive C# kernel, in this process, set up as the Polyglot / Jupyter kernel app (dotnet-interactive
/// 1.0.712001) sets it up: <c>#r "nuget:"</c> restores and references packages, packages' kernel extensions load
/// (Plotly.NET.Interactive's chart formatter, Microsoft.Data.Analysis's DataFrame formatter), <c>display()</c> and
/// value sharing exist, <c>#!import</c> runs another notebook or .dib file, the default imports are the kernel's own (System, System.Text, System.Collections,
/// System.Collections.Generic, System.Threading.Tasks, System.Linq) and values format as HTML for a notebook
/// front end. So a cell that runs here runs in VS Code and Jupyter, and a cell that fails there fails here.
/// </summary>
public sealed class NotebookKernel : IDisposable
{
    /// <summary>The C# kernel's name, as notebooks' cell metadata and <c>#!csharp</c> name it.</summary>
    public const string CSharpKernelName = "csharp";

    readonly PackageExtensionLoader _extensions;

    NotebookKernel(CompositeKernel root, CSharpKernel csharp)
    {
        Root = root;
        CSharp = csharp;
        _extensions = new PackageExtensionLoader(root);
    }

    /// <summary>The root kernel commands are sent to.</summary>
    public CompositeKernel Root { get; }

    /// <summary>The C# kernel, for reading variables back (<see cref="CSharpKernel.TryGetValue{T}"/>).</summary>
    public CSharpKernel CSharp { get; }

    /// <summary>Creates a kernel; formatters are set for an HTML notebook front end, as the kernel app does for Jupyter.</summary>
    public static NotebookKernel Create()
    {
        // The kernel app's SetUpFormatters for browser front ends (VS Code, Jupyter): HTML by default, strings as text.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);

        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, packages) =>
            {
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();
        var root = new CompositeKernel { csharp }.UseImportMagicCommand();
        root.DefaultKernelName = CSharpKernelName;
        return new NotebookKernel(root, csharp);
    }

    public void Dispose()
    {
        _extensions.Dispose();
        Root.Dispose();
    }
}
