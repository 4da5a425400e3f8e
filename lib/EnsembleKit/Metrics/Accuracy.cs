using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Fraction of rows whose highest score is the target class. <paramref name="scores"/>: probabilities
    /// or logits <c>[B, C]</c> (argmax is the same); <paramref name="targets"/>: <c>[B]</c> int64.
    /// Ties go to the lowest class index. Refuses NaN and +inf scores, an empty batch and targets outside [0, C)
    /// (see <see cref="MetricInput.RequireScores"/>).
    /// </summary>
    public static double Accuracy(Tensor scores, Tensor targets)
    {
        MetricInput.RequireScores(scores, targets, nameof(scores));
        using var scope = NewDisposeScope();
        return scores.argmax(1).eq(targets).to(ScalarType.Float64).mean().item<double>();
    }
}
