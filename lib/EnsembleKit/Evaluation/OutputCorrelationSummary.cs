using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// How alike the outputs of an ensemble's members are (seed 002 E2.7.2): the members' pairwise output correlation
/// <see cref="Matrix"/> (<see cref="DiversityMetric.OutputCorrelationMatrix"/>), the mean and sample standard deviation over its
/// unordered pairs (<see cref="Mean"/>, <see cref="Std"/>), and the ensemble's test accuracy (mean of probabilities, percent).
/// </summary>
public sealed record OutputCorrelationSummary(string Name, int Members, double Accuracy, double Mean, double Std, double[,] Matrix)
{
    /// <exception cref="ArgumentException">Fewer than two members.</exception>
    public static OutputCorrelationSummary Of(string name, IReadOnlyList<nn.Module<Tensor, Tensor>> members, TensorDataset test)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(test);
        if (members.Count < 2) throw new ArgumentException($"correlation needs at least two members; got {members.Count}.", nameof(members));
        using var scope = NewDisposeScope();
        var logits = Predict.MemberLogits(members, test);
        var matrix = DiversityMetric.OutputCorrelationMatrix(logits);
        int m = members.Count;
        var pairs = Enumerable.Range(0, m).SelectMany(i => Enumerable.Range(i + 1, m - i - 1).Select(j => matrix[i, j]));
        var (mean, std) = SampleStatistics.MeanAndStd(pairs);
        var ensemble = Combine.Probabilities(logits, CombinationRule.MeanProbabilities);
        return new(name, m, Metric.Accuracy(ensemble.log(), test.Targets) * 100, mean, std, matrix);
    }
}
