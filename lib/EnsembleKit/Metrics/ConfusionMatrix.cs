using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

public static partial class Metric
{
    /// <summary>
    /// Confusion matrix <c>[C, C]</c> as counts: row = true class, column = predicted class (argmax of
    /// <paramref name="scores"/>, ties to the lowest index). <paramref name="scores"/>: logits or probabilities
    /// <c>[B, C]</c>; <paramref name="targets"/>: <c>[B]</c> int64 in [0, C). The diagonal holds the correct predictions.
    /// </summary>
    public static long[,] ConfusionMatrix(Tensor scores, Tensor targets)
    {
        MetricInput.RequireScores(scores, targets, nameof(scores));
        long classes = scores.shape[1];
        using var scope = NewDisposeScope();
        // One flat index per row (true * C + predicted), counted with bincount.
        using Scalar classCount = classes;
        var flat = targets.to(CPU).mul(classCount) + scores.argmax(1).to(CPU);
        var counts = flat.bincount(null, classes * classes).to(ScalarType.Int64).data<long>().ToArray();
        var matrix = new long[classes, classes];
        for (long t = 0; t < classes; t++)
            for (long p = 0; p < classes; p++)
                matrix[t, p] = counts[t * classes + p];
        return matrix;
    }
}
