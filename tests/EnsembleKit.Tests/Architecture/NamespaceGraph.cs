using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnsembleKit.Tests.Architecture;

/// <summary>
/// Which of the library's namespaces use which: every name in every source file under <c>lib/EnsembleKit</c> is bound by
/// Roslyn against the built assemblies, and an edge is recorded from the file's namespace to the namespace of each kit
/// symbol it names (types, members, extension methods, attributes; XML doc references do not count).
/// </summary>
public static class NamespaceGraph
{
    const string Root = "EnsembleKit";

    /// <summary>Edges "from → to" between namespaces of the library, with one example site each.</summary>
    public static IReadOnlyDictionary<(string From, string To), string> Build(string sourceFolder)
    {
        var (compilation, trees) = LibrarySources.Compile(sourceFolder);
        var edges = new Dictionary<(string, string), string>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            var declared = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();
            if (declared is null) continue;
            foreach (var name in root.DescendantNodes(descendIntoTrivia: false).OfType<SimpleNameSyntax>())
            {
                if (name.Ancestors().Any(a => a is UsingDirectiveSyntax or BaseNamespaceDeclarationSyntax && a != name.Parent && a is not BaseNamespaceDeclarationSyntax)) continue;
                if (name.Ancestors().OfType<UsingDirectiveSyntax>().Any()) continue;
                var symbol = model.GetSymbolInfo(name).Symbol;
                if (symbol is null or INamespaceSymbol) continue;
                var target = (symbol as ITypeSymbol ?? symbol.ContainingType)?.ContainingNamespace?.ToDisplayString();
                if (symbol is IMethodSymbol { IsExtensionMethod: true } method) target = method.ContainingType.ContainingNamespace.ToDisplayString();
                if (target is null || target == declared || !(target == Root || target.StartsWith(Root + ".", StringComparison.Ordinal))) continue;
                var line = name.GetLocation().GetLineSpan();
                edges.TryAdd((declared, target), $"{Path.GetFileName(line.Path)}:{line.StartLinePosition.Line + 1} ({name.Identifier.Text})");
            }
        }
        return edges;
    }

    /// <summary>One cycle in the graph as a list of namespaces (first = last), or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList());
        var state = new Dictionary<string, int>(); // 1 = on the current path, 2 = done
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(to) == 1) return [.. path.Skip(path.IndexOf(to)), to];
                if (state.GetValueOrDefault(to) == 0 && Visit(to) is { } cycle) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in next.Keys.OrderBy(k => k, StringComparer.Ordinal))
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        return null;
    }
}
