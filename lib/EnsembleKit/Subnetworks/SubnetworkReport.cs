using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Sizes of a subnetwork ensemble's children: per child the nonzero parameter count and sparsity, and the ensemble's
/// total nonzero parameters (seed 002 Table 5.3 counts "total params" over the children only; the parent is listed
/// separately when given).
/// </summary>
public sealed record SubnetworkReport(IReadOnlyList<SubnetworkSize> Children, SubnetworkSize? Parent)
{
    /// <summary>Nonzero parameters summed over the children.</summary>
    public long TotalNonZero => Children.Sum(c => c.NonZero);
    /// <summary>Parameters (zero or not) summed over the children.</summary>
    public long TotalParameters => Children.Sum(c => c.Parameters);

    /// <summary>Counts every child's parameters; labels default to "child 1", "child 2", ...</summary>
    public static SubnetworkReport Of(IEnumerable<nn.Module> children, nn.Module? parent = null, IReadOnlyList<string>? labels = null)
    {
        TorchRuntime.EnsureInitialized();
        var list = children.ToList();
        if (labels is not null && labels.Count != list.Count)
            throw new ArgumentException($"{labels.Count} labels for {list.Count} children.", nameof(labels));
        var sizes = list.Select((c, i) => Measure(c, labels?[i] ?? $"child {i + 1}")).ToList();
        return new SubnetworkReport(sizes, parent is null ? null : Measure(parent, "parent"));
    }

    /// <summary>The size of one model.</summary>
    public static SubnetworkSize Measure(nn.Module model, string label)
    {
        using var scope = NewDisposeScope();
        long parameters = 0, nonZero = 0, weights = 0, nonZeroWeights = 0;
        foreach (var (_, p) in model.named_parameters())
        {
            long n = p.numel(), nz = p.count_nonzero().item<long>();
            parameters += n;
            nonZero += nz;
            if (p.dim() >= 2)
            {
                weights += n;
                nonZeroWeights += nz;
            }
        }
        return new SubnetworkSize(label, parameters, nonZero, weights, nonZeroWeights);
    }
}
