namespace EnsembleKit.Uncertainty;

/// <summary>
/// The per-sample scores of <see cref="UncertaintyScores"/>, for choosing one by name (a sweep, a table of OOD
/// results). <see cref="UncertaintyScores.HigherMeansInDistribution"/> gives each one's sign convention and
/// <see cref="UncertaintyScores.InDistributionScore"/> orients any of them for the OOD metrics.
/// </summary>
public enum UncertaintyMeasure
{
    /// <summary>Top probability of the mean probabilities; higher = more in-distribution.</summary>
    MaxSoftmaxProbability,
    /// <summary>Top entry of the mean logits; higher = more in-distribution.</summary>
    MaxLogit,
    /// <summary>Entropy of the mean probabilities (total uncertainty); higher = more uncertain.</summary>
    PredictiveEntropy,
    /// <summary>Mean of the members' entropies (aleatoric part); higher = more uncertain.</summary>
    ExpectedEntropy,
    /// <summary>Predictive minus expected entropy (epistemic part); higher = more uncertain.</summary>
    MutualInformation,
    /// <summary>Energy <c>-T logsumexp(mean logits / T)</c>; higher = more uncertain.</summary>
    Energy,
    /// <summary>Across-member variance of the predicted class's probability; higher = more uncertain.</summary>
    PredictedClassVariance,
}
