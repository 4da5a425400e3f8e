using System.Reflection;
using Microsoft.CodeAnalysis;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// The metadata references every notebook compiles against: the .NET shared framework, and the kit's own
/// assemblies with everything they reference (TorchSharp, Plotly.NET, FSharp.Core, Microsoft.Data.Analysis, ...),
/// i.e. exactly the copies already loaded in this process. Built once per process: creating references is
/// the costly part of a Roslyn compile.
/// </summary>
public static class ScriptReferences
{
    /// <summary>Simple names of the kit's assemblies; a <c>#r</c> to a file with one of these names maps to the loaded copy.</summary>
    public static readonly IReadOnlySet<string> KitAssemblyNames =
        new HashSet<string>(["EnsembleKit", "EnsembleKit.Plotting", "EnsembleKit.Notebooks"], StringComparer.OrdinalIgnoreCase);

    static readonly Lazy<IReadOnlyList<MetadataReference>> s_all = new(Build);

    public static IReadOnlyList<MetadataReference> All => s_all.Value;

    /// <summary>Namespaces every cell imports, as the Polyglot C# kernel does.</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
        ["System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Text", "System.Threading.Tasks"];

    static IReadOnlyList<MetadataReference> Build()
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (var dll in Directory.EnumerateFiles(frameworkFolder, "*.dll"))
            if (IsManaged(dll)) paths.Add(dll);

        // The kit's assemblies and the closure of what they reference, as loaded here.
        var pending = new Stack<Assembly>([typeof(Backend.TorchRuntime).Assembly, typeof(Plotting.Charts).Assembly, typeof(ScriptReferences).Assembly]);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.Count > 0)
        {
            var assembly = pending.Pop();
            if (!seen.Add(assembly.GetName().Name!)) continue;
            if (!string.IsNullOrEmpty(assembly.Location) && !assembly.Location.StartsWith(frameworkFolder, StringComparison.Ordinal))
                paths.Add(assembly.Location);
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (seen.Contains(name.Name!)) continue;
                try { pending.Push(Assembly.Load(name)); }
                catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException) { /* optional dependency not shipped */ }
            }
        }
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }

    static bool IsManaged(string path)
    {
        try { AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }
}
