using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Two sibling models (a snapshot pair, two children of one parent) on a test set: each one's accuracy and their
/// two-member ensemble's (mean of probabilities), in percent rounded to 2 decimals, and how often they disagree
/// (<see cref="DiversityMetric.Disagreement(Tensor, Tensor)"/>, 4 decimals).
/// </summary>
public sealed record SiblingPairScore(string Pair, double Sibling1, double Sibling2, double PairEnsemble, double PredictionDisagreement)
{
    /// <exception cref="ArgumentException">Not exactly two siblings.</exception>
    public static SiblingPairScore Of(string pair, IReadOnlyList<nn.Module<Tensor, Tensor>> siblings, TensorDataset test)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(siblings);
        ArgumentNullException.ThrowIfNull(test);
        if (siblings.Count != 2) throw new ArgumentException($"a pair has two siblings; got {siblings.Count}.", nameof(siblings));
        using var scope = NewDisposeScope();
        var logits = Predict.MemberLogits(siblings, test);
        var ensemble = Combine.Probabilities(logits, CombinationRule.MeanProbabilities);
        return new(pair,
            Math.Round(Metric.Accuracy(logits[0], test.Targets) * 100, 2),
            Math.Round(Metric.Accuracy(logits[1], test.Targets) * 100, 2),
            Math.Round(Metric.Accuracy(ensemble.log(), test.Targets) * 100, 2),
            Math.Round(DiversityMetric.Disagreement(logits[0], logits[1]), 4));
    }
}
