namespace EnsembleKit.Ensembles;

/// <summary>
/// How last-layer Laplace approximates the generalised Gauss-Newton (GGN) matrix H of the summed softmax cross-entropy
/// over the last layer's weights W_aug <c>[C, Q]</c> (the weight with the bias as an extra column, Q = D + 1; parameters
/// ordered row-major, class c outer, input d inner), where H = Σ_n Λ_n ⊗ a_n a_nᵀ, Λ_n = diag(p_n) − p_n p_nᵀ,
/// p_n = softmax(W_aug a_n) and a_n = [φ(x_n); 1] the layer's input.
/// </summary>
public enum HessianKind
{
    /// <summary>The exact diagonal of H: <c>H[c, d] = Σ_n p_nc (1 − p_nc) a_nd²</c>, stored <c>[C, Q]</c>.</summary>
    Diagonal,
    /// <summary>
    /// Kronecker-factored (KFAC): <c>H ≈ G ⊗ A / N</c> with <c>G = Σ_n Λ_n</c> <c>[C, C]</c> and <c>A = Σ_n a_n a_nᵀ</c>
    /// <c>[Q, Q]</c>, i.e. N · E[Λ] ⊗ E[a aᵀ], the usual expectation-factored form (exact when N = 1).
    /// </summary>
    Kfac,
}
