using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>Smallest probability used inside a log, so a confident mistake costs a finite 103.3 nats.</summary>
    public const double ProbabilityFloor = 1e-45;

    /// <summary>
    /// Mean negative log-likelihood of the targets, <c>-(1/B) sum log p[b, y_b]</c>, in nats.
    /// <paramref name="probs"/>: <c>[B, C]</c> probabilities (finite, in [0, 1], rows sum to 1: see
    /// <see cref="MetricInput.RequireProbabilities"/>); <paramref name="targets"/>: <c>[B]</c> int64 in <c>[0, C)</c>.
    /// </summary>
    public static double NegativeLogLikelihood(Tensor probs, Tensor targets)
    {
        MetricInput.RequireProbabilities(probs, targets, nameof(probs));
        using var scope = NewDisposeScope();
        var p = probs.to(ScalarType.Float64).gather(1, targets.unsqueeze(1)).squeeze(1);
        using Scalar floor = ProbabilityFloor;
        return -p.clamp_min(floor).log().mean().item<double>();
    }
}
