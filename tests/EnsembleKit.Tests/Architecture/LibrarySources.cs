using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EnsembleKit.Tests.Architecture;

/// <summary>A library's sources bound by Roslyn against the assemblies the test process has loaded, for checks that need
/// to know what each name and conversion means (not just how it is spelled).</summary>
public static class LibrarySources
{
    static readonly string[] ImplicitUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>Every <c>.cs</c> file under <paramref name="sourceFolder"/> (bin/ and obj/ aside) compiled together;
    /// throws when they do not bind.</summary>
    public static (CSharpCompilation Compilation, IReadOnlyList<SyntaxTree> Trees) Compile(string sourceFolder)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Directory.EnumerateFiles(sourceFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .ToList();
        // The SDK's implicit usings (ImplicitUsings=enable), which the build generates into obj/.
        var usings = CSharpSyntaxTree.ParseText(string.Join("\n", ImplicitUsings.Select(u => $"global using global::{u};")), parse, "ImplicitUsings.g.cs");
        var assemblyName = AssemblyNameOf(sourceFolder);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            // The default load context only: other tests load a second FSharp.Core into a context of their own.
            .Concat(AssemblyLoadContext.Default.Assemblies.Where(a => !a.IsDynamic && a.Location.Length > 0 && a.GetName().Name != assemblyName).Select(a => a.Location))
            .Where(p => Path.GetFileNameWithoutExtension(p) != assemblyName)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(assemblyName, [.. trees, usings], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        // CS8795: partial methods whose other part a source generator writes ([GeneratedRegex]); generators do not run here.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
        if (errors.Count > 0) throw new InvalidOperationException($"the sources in {sourceFolder} do not bind: " + string.Join("; ", errors));
        return (compilation, trees);
    }

    /// <summary>The project's &lt;AssemblyName&gt; (kit for the CLI), else the folder's name: the built copy the test
    /// process has loaded under that name must not be referenced beside its own sources.</summary>
    static string AssemblyNameOf(string sourceFolder)
    {
        var folderName = Path.GetFileName(sourceFolder.TrimEnd(Path.DirectorySeparatorChar));
        var project = Path.Combine(sourceFolder, folderName + ".csproj");
        var declared = File.Exists(project) ? System.Xml.Linq.XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value : null;
        return string.IsNullOrWhiteSpace(declared) ? folderName : declared;
    }
}
