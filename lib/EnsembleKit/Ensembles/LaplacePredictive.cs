namespace EnsembleKit.Ensembles;

/// <summary>How last-layer Laplace turns its Gaussian over the last layer's weights into a predictive distribution.</summary>
public enum LaplacePredictive
{
    /// <summary>
    /// Monte Carlo: S weight draws W_s ~ N(W_MAP, Σ), logits <c>W_s a</c>; the ensemble's members are the draws, averaged by
    /// the ensemble's rule.
    /// </summary>
    MonteCarlo,
    /// <summary>
    /// Probit (MacKay 1992): logits f ~ N(μ, Σ_f) with μ = W_MAP a and Σ_f = J Σ Jᵀ (J = I_C ⊗ aᵀ), and
    /// <c>p ≈ softmax(μ / √(1 + π/8 · diag Σ_f))</c>; a one-member ensemble whose "logits" are log p.
    /// </summary>
    Probit,
}
