using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Multi-class Brier score: <c>(1/B) sum_b sum_c (p[b, c] - 1[c = y_b])^2</c>, in [0, 2] (summed over
    /// classes, not divided by C, as in Brier 1950 and Ovadia et al. 2019).
    /// <paramref name="probs"/>: <c>[B, C]</c> probabilities (see <see cref="MetricInput.RequireProbabilities"/>);
    /// <paramref name="targets"/>: <c>[B]</c> int64 in <c>[0, C)</c>.
    /// </summary>
    public static double BrierScore(Tensor probs, Tensor targets)
    {
        MetricInput.RequireProbabilities(probs, targets, nameof(probs));
        using var scope = NewDisposeScope();
        var p = probs.to(ScalarType.Float64);
        var onehot = nn.functional.one_hot(targets, p.shape[1]).to(ScalarType.Float64);
        return (p - onehot).square().sum(1).mean().item<double>();
    }
}
