using EnsembleKit.Data;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Subnetworks;

public static partial class SmallBudgetAblations
{
    /// <summary>
    /// Structured against unstructured children (seed 002 E2.5.2): for each of <paramref name="unstructured"/>'s rows
    /// (random one-cycle children at its <see cref="SubnetworkAblationRow.ChildWeightSparsity"/>'s setting, paired by
    /// position with <paramref name="sparsities"/>), a fresh set of random children with whole neurons and channels removed
    /// (<see cref="MaskStructure.Structured"/>, seed 900) at that sparsity, tuned from the run's parent and scored; the
    /// children trained here are disposed after scoring.
    /// </summary>
    /// <param name="run">The comparison run whose parent the children are pruned from.</param>
    /// <param name="create">Makes a fresh model of the parent's architecture.</param>
    /// <param name="train">The set the children are tuned on.</param>
    /// <param name="test">The set they are scored on.</param>
    /// <param name="options">The run's options (<see cref="SmallBudgetComparison.ChildOptions"/>).</param>
    /// <param name="sparsities">The target sparsity of each row, in (0, 1).</param>
    /// <param name="unstructured">The unstructured rows at the same sparsities, as many as <paramref name="sparsities"/>.</param>
    public static IReadOnlyList<SubnetworkStructureRow> Structure(SmallBudgetRun run, Func<Net> create, TensorDataset train, TensorDataset test,
        SmallBudgetOptions options, IReadOnlyList<double> sparsities, IReadOnlyList<SubnetworkAblationRow> unstructured)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(sparsities);
        ArgumentNullException.ThrowIfNull(unstructured);
        if (sparsities.Count != unstructured.Count)
            throw new ArgumentException($"{sparsities.Count} sparsities but {unstructured.Count} unstructured rows.", nameof(unstructured));
        if (sparsities.Any(s => !(s > 0 && s < 1)))
            throw new ArgumentOutOfRangeException(nameof(sparsities), $"sparsities must lie in (0, 1); got {string.Join(", ", sparsities)}.");
        return sparsities.Select((s, i) =>
        {
            var mask = new MaskOptions { Sparsity = s, Structure = MaskStructure.Structured };
            var o = SmallBudgetComparison.ChildOptions(options, 900, SubnetworkSampling.Random) with { Mask = mask };
            using var children = SparseSubnetworkEnsemble.Train(run.Parent, create, train, o);
            return SubnetworkStructureRow.Of(s, unstructured[i], SubnetworkAblationRow.Of($"R structured, sparsity {s}, 1C", children, test));
        }).ToList();
    }
}
