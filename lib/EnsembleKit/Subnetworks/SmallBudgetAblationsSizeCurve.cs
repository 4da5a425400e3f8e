using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Subnetworks;

public static partial class SmallBudgetAblations
{
    /// <summary>
    /// Ensemble size (seed 002 E2.5.3): <paramref name="children"/> NP children of the run's parent (complementary pairs,
    /// seed 1000, one-cycle tuning as <see cref="SmallBudgetComparison.ChildOptions"/>) scored on
    /// <paramref name="test"/> as ensembles of their first k members, mean of probabilities, averaged over
    /// <paramref name="orderings"/> orders (<see cref="DiversityMetric.AccuracyBySize"/>, seed 0); accuracies are fractions.
    /// The children are disposed afterwards.
    /// </summary>
    /// <param name="run">The comparison run whose parent the children are pruned from.</param>
    /// <param name="create">Makes a fresh model of the parent's architecture.</param>
    /// <param name="train">The set the children are tuned on.</param>
    /// <param name="test">The set they are scored on.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="children">How many children: a positive even number (whole NP pairs).</param>
    /// <param name="orderings">Member orders averaged per size, at least 1.</param>
    public static IReadOnlyList<EnsembleSizePoint> SizeCurve(SmallBudgetRun run, Func<Net> create, TensorDataset train, TensorDataset test,
        SmallBudgetOptions options, int children = 16, int orderings = 20)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(test);
        if (children <= 0 || children % 2 != 0)
            throw new ArgumentException($"NP children come in pairs; got {children}.", nameof(children));
        var o = SmallBudgetComparison.ChildOptions(options, 1000, SubnetworkSampling.NeuralPartitioning) with { Children = children };
        using var many = SparseSubnetworkEnsemble.Train(run.Parent, create, train, o);
        using var logits = many.MemberLogits(test);
        return DiversityMetric.AccuracyBySize(logits, test.Targets, CombinationRule.MeanProbabilities, orderings, seed: 0);
    }
}
