namespace EnsembleKit.WeightSpace;

/// <summary>
/// Dropout subspace (Fort et al. 2019 §4): drop each weight of θ* independently with probability 1 − p_keep
/// (DropConnect on the trained weights) and, with <see cref="Rescale"/>, divide the kept ones by p_keep.
/// </summary>
public sealed record DropoutSubspaceOptions
{
    public IReadOnlyList<double> KeepProbabilities { get; init; } = [0.95, 0.9, 0.8, 0.7];
    public int SamplesPerProbability { get; init; } = 5;
    /// <summary>Divide kept weights by p_keep (inverted dropout), keeping each weight's expectation.</summary>
    public bool Rescale { get; init; } = true;
    /// <summary>Also drop biases (default false: masks apply to weights, biases stay).</summary>
    public bool IncludeBiases { get; init; }
    public long Seed { get; init; }
}
