using Xunit;
using Xunit.Abstractions;

namespace EnsembleKit.Tests.Architecture;

/// <summary>The library's namespaces form layers that point one way (README.md, Architecture): no namespace cycle.</summary>
public sealed class NamespaceDependencyTests(ITestOutputHelper output)
{
    static readonly Lazy<IReadOnlyDictionary<(string From, string To), string>> Graph =
        new(() => NamespaceGraph.Build(Path.Combine(TestSupport.RepoRoot, "lib", "EnsembleKit")));

    [Fact]
    public void TheLibrarysNamespaceGraphHasNoCycle()
    {
        var edges = Graph.Value;
        foreach (var ((from, to), site) in edges.OrderBy(e => e.Key.From).ThenBy(e => e.Key.To)) output.WriteLine($"{from} -> {to}   e.g. {site}");
        var cycle = NamespaceGraph.FindCycle(edges.Keys);
        Assert.True(cycle is null, cycle is null ? "" : "namespace cycle: " + string.Join(" -> ",
            cycle.Zip(cycle.Skip(1), (a, b) => $"{a} -[{edges[(a, b)]}]->")) + " " + cycle[^1]);
    }

    [Fact]
    public void TheGraphSeesEdgesAndCycles()
    {
        // The checker itself: a known edge is found, and a planted cycle is reported.
        Assert.Contains(("EnsembleKit.Ensembles", "EnsembleKit.Training"), Graph.Value.Keys);
        Assert.Equal(["A", "B", "C", "A"], NamespaceGraph.FindCycle([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]));
        Assert.Null(NamespaceGraph.FindCycle([("A", "B"), ("B", "C"), ("A", "C")]));
    }
}
