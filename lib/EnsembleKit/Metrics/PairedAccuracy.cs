using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Accuracy of <paramref name="scoresA"/> minus accuracy of <paramref name="scoresB"/> on the same rows, with the
    /// standard error of that difference for paired samples: with <c>d_n = [A right] − [B right]</c> ∈ {−1, 0, 1},
    /// <c>SE = sd(d) / √N</c> (population sd), which depends only on the rows where exactly one of the two is right
    /// (McNemar's discordant pairs). Scores: probabilities or logits <c>[N, C]</c>; targets <c>[N]</c> int64.
    /// </summary>
    public static AccuracyDifference PairedAccuracyDifference(Tensor scoresA, Tensor scoresB, Tensor targets)
    {
        MetricInput.RequireScores(scoresA, targets, nameof(scoresA));
        MetricInput.RequireScores(scoresB, targets, nameof(scoresB));
        if (scoresB.shape[1] != scoresA.shape[1])
            throw new ArgumentException($"scoresB: {scoresB.shape[1]} classes, but scoresA has {scoresA.shape[1]}.", nameof(scoresB));
        using var scope = NewDisposeScope();
        var rightA = scoresA.argmax(1).eq(targets);
        var rightB = scoresB.argmax(1).eq(targets);
        long onlyA = rightA.logical_and(rightB.logical_not()).sum().item<long>();
        long onlyB = rightB.logical_and(rightA.logical_not()).sum().item<long>();
        long n = targets.shape[0];
        double mean = (double)(onlyA - onlyB) / n;
        double variance = (double)(onlyA + onlyB) / n - mean * mean;
        return new AccuracyDifference(mean, Math.Sqrt(Math.Max(variance, 0) / n), onlyA, onlyB, n);
    }
}
