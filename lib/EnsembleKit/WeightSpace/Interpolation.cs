using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>One point on the line between two models: <c>theta = (1 - lambda) theta_A + lambda theta_B</c>.</summary>
public sealed record InterpolationPoint(double Lambda, double Loss, double Accuracy);

/// <summary>
/// Loss and accuracy along a straight line in weight space, and the loss barrier: the largest excess of the loss over
/// the straight line between the end points' losses, <c>max_lambda L(lambda) - ((1 - lambda) L(0) + lambda L(1))</c>
/// (Frankle et al. 2020; Ainsworth et al. 2022). A barrier near zero means the two are linearly mode-connected.
/// </summary>
public sealed record InterpolationCurve(string Label, IReadOnlyList<InterpolationPoint> Points)
{
    public double LossBarrier => Points.Max(p => p.Loss - ((1 - p.Lambda) * Points[0].Loss + p.Lambda * Points[^1].Loss));
    /// <summary>The largest drop of accuracy below the straight line between the end points' accuracies.</summary>
    public double AccuracyBarrier => Points.Max(p => (1 - p.Lambda) * Points[0].Accuracy + p.Lambda * Points[^1].Accuracy - p.Accuracy);

    /// <summary>
    /// Evaluates <paramref name="points"/> evenly spaced lambdas in [0, 1] using <paramref name="scratch"/> (same
    /// architecture; its weights are overwritten). Batch-norm statistics are recomputed at each point when
    /// <paramref name="recalibrationData"/> is given.
    /// </summary>
    public static InterpolationCurve Evaluate(string label, IReadOnlyDictionary<string, Tensor> stateA, IReadOnlyDictionary<string, Tensor> stateB,
        nn.Module<Tensor, Tensor> scratch, TensorDataset data, int points = 11, TensorDataset? recalibrationData = null)
    {
        TorchRuntime.EnsureInitialized();
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), $"need at least 2 points; got {points}.");
        ModelState.CheckSameArchitecture([stateA, stateB], ["model A", "model B"]);
        var result = new List<InterpolationPoint>();
        for (int i = 0; i < points; i++)
        {
            double lambda = (double)i / (points - 1);
            using (var scope = NewDisposeScope())
            using (no_grad())
            using (Scalar weightA = 1 - lambda, weightB = lambda)
            {
                var mixed = stateA.ToDictionary(kv => kv.Key, kv => kv.Value.is_floating_point()
                    ? kv.Value.mul(weightA) + stateB[kv.Key].to(kv.Value.device).mul(weightB)
                    : kv.Value);
                ModelState.Load(scratch, mixed);
            }
            if (recalibrationData is not null) BatchNormRecalibration.Recompute(scratch, recalibrationData);
            using var logits = Predict.Logits(scratch, data);
            using var loss = nn.functional.cross_entropy(logits, data.Targets);
            result.Add(new InterpolationPoint(lambda, loss.item<float>(), Metric.Accuracy(logits, data.Targets)));
        }
        return new InterpolationCurve(label, result);
    }
}
