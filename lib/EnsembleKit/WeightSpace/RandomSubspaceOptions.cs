namespace EnsembleKit.WeightSpace;

/// <summary>
/// Random-direction subspace (Fort et al. 2019 §4): <c>θ = θ* + t·v</c>. Each direction v is Gaussian, rescaled per parameter
/// tensor so that ‖v_l‖ = ‖θ*_l‖ (so t is a step relative to each layer's norm; a zero layer gets no step).
/// </summary>
public sealed record RandomSubspaceOptions
{
    /// <summary>Steps t; each gets <see cref="DirectionsPerScale"/> fresh directions.</summary>
    public IReadOnlyList<double> Scales { get; init; } = [0.05, 0.1, 0.2, 0.4];
    public int DirectionsPerScale { get; init; } = 5;
    /// <summary>Include biases in θ (default true: seed 001's subspace is built on weights and biases).</summary>
    public bool IncludeBiases { get; init; } = true;
    public long Seed { get; init; }
}
