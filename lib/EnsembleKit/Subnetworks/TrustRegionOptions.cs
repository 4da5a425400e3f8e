namespace EnsembleKit.Subnetworks;

/// <summary>
/// Grid and bound of the trust-region search (seed 002 §4.2.1). The seed gives neither the grid steps nor the number of
/// probe draws per setting [not in seed: <see cref="Draws"/> = 4 random draws averaged per grid point]. The mean μ is
/// fixed (<see cref="Mean"/>, 0 in every experiment of the seed); <see cref="Mask"/> gives structure and tensors, its
/// Sparsity is replaced by each grid value.
/// </summary>
public sealed record TrustRegionOptions
{
    /// <summary>Noise standard deviations σ to try.</summary>
    public IReadOnlyList<double> Strengths { get; init; } = [0.0025, 0.005, 0.01, 0.02, 0.05, 0.1];
    /// <summary>Mutation sparsities (fraction of weights left unperturbed) to try.</summary>
    public IReadOnlyList<double> Sparsities { get; init; } = [0.0, 0.5, 0.9];
    public double Mean { get; init; }
    /// <summary>Trust-region bound Δ on the mean KL(parent ‖ child); seed 002 uses ≈ 0.02 on ImageNet.</summary>
    public double Bound { get; init; } = 0.02;
    public int Draws { get; init; } = 4;
    public MaskOptions Mask { get; init; } = new();
    public long Seed { get; init; }
    public int BatchSize { get; init; } = 1000;

    public void Validate()
    {
        if (Strengths.Count == 0) throw new ArgumentException("the search needs at least one noise strength.", nameof(Strengths));
        if (Sparsities.Count == 0) throw new ArgumentException("the search needs at least one sparsity.", nameof(Sparsities));
        foreach (var s in Strengths)
            if (!(s >= 0) || double.IsInfinity(s)) throw new ArgumentOutOfRangeException(nameof(Strengths), $"noise strengths must be finite and >= 0; got {s}.");
        foreach (var s in Sparsities)
            if (!(s >= 0 && s < 1)) throw new ArgumentOutOfRangeException(nameof(Sparsities), $"sparsities must be in [0, 1); got {s}.");
        if (!(Bound > 0) || double.IsInfinity(Bound)) throw new ArgumentOutOfRangeException(nameof(Bound), $"the KL bound must be positive and finite; got {Bound}.");
        if (Draws < 1) throw new ArgumentOutOfRangeException(nameof(Draws), $"draws per setting must be positive; got {Draws}.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"batch size must be positive; got {BatchSize}.");
        Mask.Validate();
    }
}
