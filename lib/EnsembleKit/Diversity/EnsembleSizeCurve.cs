using EnsembleKit.Backend;
using EnsembleKit.Ensembles;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>Ensemble accuracy with <paramref name="Size"/> members: mean (and population std) over the member orderings tried.</summary>
public sealed record EnsembleSizePoint(int Size, double Accuracy, double Std);

public static partial class DiversityMetric
{
    /// <summary>
    /// Test accuracy against ensemble size (seed 001 E1.6): for k = 1..M, the accuracy of the ensemble of the first k members
    /// combined by <paramref name="rule"/> (member logits <c>[M, B, C]</c>, targets <c>[B]</c> int64). With
    /// <paramref name="orderings"/> &gt; 1, the first ordering is the given one and the others are seeded random permutations;
    /// each point is the mean over orderings (which smooths out the luck of which member comes first) with its std.
    /// </summary>
    public static IReadOnlyList<EnsembleSizePoint> AccuracyBySize(Tensor memberLogits, Tensor targets,
        CombinationRule rule = CombinationRule.MeanProbabilities, int orderings = 1, long seed = 0)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        if (orderings < 1) throw new ArgumentOutOfRangeException(nameof(orderings), $"orderings must be at least 1; got {orderings}.");
        int m = (int)memberLogits.shape[0];
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var accuracies = new double[orderings, m];
        using var scope = NewDisposeScope();
        var device = memberLogits.device;
        for (int o = 0; o < orderings; o++)
        {
            var order = Enumerable.Range(0, m).ToArray();
            if (o > 0) random.Shuffle(order);
            for (int k = 1; k <= m; k++)
            {
                using var inner = NewDisposeScope();
                var chosen = memberLogits.index_select(0, tensor(order.Take(k).Select(i => (long)i).ToArray(), device: device));
                accuracies[o, k - 1] = Metrics.Metric.Accuracy(Combine.Probabilities(chosen, rule), targets.to(device));
            }
        }
        return Enumerable.Range(0, m).Select(k =>
        {
            var values = Enumerable.Range(0, orderings).Select(o => accuracies[o, k]).ToArray();
            double mean = values.Average();
            return new EnsembleSizePoint(k + 1, mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
        }).ToList();
    }
}
