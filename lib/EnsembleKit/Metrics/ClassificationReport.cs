using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

/// <summary>The standard scores of one predictor on one test set. Accuracy is a fraction in [0, 1].</summary>
public sealed record ClassificationReport(string Name, double Accuracy, double Nll, double Ece, double Brier)
{
    /// <summary>Scores probabilities <c>[B, C]</c> against targets <c>[B]</c> int64. They are checked as probabilities
    /// first (<see cref="MetricInput.RequireProbabilities"/>), so that accuracy, which would take logits too, does not
    /// report them as scores.</summary>
    public static ClassificationReport FromProbabilities(string name, Tensor probs, Tensor targets, int eceBins = 15)
    {
        MetricInput.RequireProbabilities(probs, targets, nameof(probs));
        return new(name, Metric.Accuracy(probs, targets), Metric.NegativeLogLikelihood(probs, targets),
            Metric.ExpectedCalibrationError(probs, targets, eceBins), Metric.BrierScore(probs, targets));
    }

    /// <summary>Scores logits <c>[B, C]</c> (softmax is applied) against targets <c>[B]</c> int64. The logits are checked
    /// first (<see cref="MetricInput.RequireScores"/>), so that an error names them rather than their softmax.</summary>
    public static ClassificationReport FromLogits(string name, Tensor logits, Tensor targets, int eceBins = 15)
    {
        MetricInput.RequireScores(logits, targets, nameof(logits));
        using var scope = NewDisposeScope();
        return FromProbabilities(name, logits.to(ScalarType.Float64).softmax(1), targets, eceBins);
    }
}
