namespace EnsembleKit.Subnetworks;

/// <summary>
/// Noisy Subnetwork Ensembles (seed 002 ch. 4, Algorithm 1): each candidate child is the parent plus Gaussian noise on a
/// random layerwise subnetwork, <c>Ŵ = W + N ∘ M</c> with <c>N ~ N(Mean, Sigma²)</c> (Sigma is an absolute standard
/// deviation, not scaled by the weights, as in seed 002), and <see cref="Mask"/> marking the perturbed weights: its
/// Sparsity is the fraction of weights left unperturbed (0 = dense mutation, seed 002's spiral grid ρ ∈ [0, 0.9]).
/// </summary>
public sealed record NoisySubnetworkOptions
{
    public double Sigma { get; init; } = 0.01;
    public double Mean { get; init; }
    /// <summary>Which weights are perturbed; Sparsity = fraction <i>not</i> perturbed. Default: half, unstructured, random.</summary>
    public MaskOptions Mask { get; init; } = new();
    /// <summary>Antithetic pairs: every draw also gives <c>W − N ∘ M</c> (seed 002 eqs. 4.10–4.11).</summary>
    public bool Mirrored { get; init; }
    /// <summary>Partitioned pairs: every draw also gives <c>W + N ∘ (1 − M)</c> (eq. 4.9).</summary>
    public bool Partitioned { get; init; }
    /// <summary>Population size N of Algorithm 1.</summary>
    public int Candidates { get; init; } = 16;
    /// <summary>Ensemble size K: the top-K candidates by validation accuracy.</summary>
    public int Members { get; init; } = 4;
    public long Seed { get; init; }

    /// <summary>Children one (M, N) draw yields: 1, 2 (mirrored or partitioned) or 4 (both), in the order of eqs. 4.8–4.11.</summary>
    public int ChildrenPerDraw => (Mirrored ? 2 : 1) * (Partitioned ? 2 : 1);

    /// <summary>These options with a trust-region setting's strength and sparsity.</summary>
    public NoisySubnetworkOptions With(TrustRegionPoint setting) => this with { Sigma = setting.Sigma, Mask = Mask with { Sparsity = setting.Sparsity } };

    public void Validate()
    {
        if (!(Sigma >= 0) || double.IsInfinity(Sigma)) throw new ArgumentOutOfRangeException(nameof(Sigma), $"noise strength sigma must be finite and >= 0; got {Sigma}.");
        if (!double.IsFinite(Mean)) throw new ArgumentOutOfRangeException(nameof(Mean), $"noise mean must be finite; got {Mean}.");
        if (Candidates < 1) throw new ArgumentOutOfRangeException(nameof(Candidates), $"candidate count must be positive; got {Candidates}.");
        if (Members < 1 || Members > Candidates)
            throw new ArgumentOutOfRangeException(nameof(Members), $"members must be between 1 and the candidate count {Candidates}; got {Members}.");
        Mask.Validate();
    }
}
