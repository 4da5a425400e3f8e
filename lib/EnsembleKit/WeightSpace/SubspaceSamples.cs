namespace EnsembleKit.WeightSpace;

/// <summary>
/// One weight vector sampled around a solution (laid out as <see cref="Diversity.ParameterVector.Flatten"/>), with the method that
/// drew it and its scale parameter (step t, keep probability or standard-deviation multiplier).
/// </summary>
public sealed record WeightSample(string Method, double Scale, float[] Weights);

/// <summary>
/// A sampled model's test predictions compared with the base solution's: what seed 001 / Fort et al. plot as accuracy
/// against disagreement with the base solution. <paramref name="Probabilities"/> (row-major <c>[N, C]</c>) is kept only on request.
/// </summary>
public sealed record SubspaceSample(string Method, double Scale, double Accuracy, double DisagreementWithBase, int[] Predictions, float[]? Probabilities);

/// <summary>The base solution's predictions and accuracy, and every evaluated sample.</summary>
public sealed record SubspaceSamplingResult(double BaseAccuracy, int[] BasePredictions, float[]? BaseProbabilities, IReadOnlyList<SubspaceSample> Samples)
{
    /// <summary>(disagreement with the base, accuracy) per sample, grouped by method, ready for a scatter plot.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<(double Disagreement, double Accuracy)> Points)> Groups() =>
        Samples.GroupBy(s => s.Method)
            .Select(g => (g.Key, (IReadOnlyList<(double, double)>)g.Select(s => (s.DisagreementWithBase, s.Accuracy)).ToList()))
            .ToList();
}
