namespace EnsembleKit.Ensembles;

/// <summary>
/// Which curvature of the softmax cross-entropy <see cref="KfacLaplace"/> factors. Both are the generalised Gauss-Newton
/// (GGN) in expectation, and both back-propagate vectors v from the logits to every layer's pre-activations s_l, giving
/// g_l = J_lᵀ v with J_l = ∂f/∂s_l; G_l averages g_l g_lᵀ. With p = softmax(f(x)) and Λ = diag(p) − p pᵀ (the softmax
/// Hessian), the GGN block of layer l is E[J_lᵀ Λ J_l ⊗ a aᵀ].
/// </summary>
public enum KfacCurvature
{
    /// <summary>
    /// The exact expectation over the model's labels (the GGN, "KFLR" in Botev et al. 2017): Λ = Σ_c v_c v_cᵀ with
    /// v_c = √p_c (e_c − p), so C backward passes per batch give <c>G_l = (1/N) Σ_n Σ_c g_{l,n,c} g_{l,n,c}ᵀ</c>, exactly
    /// <c>(1/N) Σ_n J_lᵀ Λ_n J_l</c>. Deterministic.
    /// </summary>
    ExactGgn,
    /// <summary>
    /// The sampled-label Fisher (KFAC, Martens and Grosse 2015): one label y_n ~ softmax(f(x_n)) per row, drawn from a CPU
    /// generator seeded with the fit's seed, and v = p − e_y (the gradient of the cross-entropy of y), so one backward pass
    /// per batch gives <c>G_l = (1/N) Σ_n g_{l,n} g_{l,n}ᵀ</c>, an unbiased estimate of the exact form (E_y[v vᵀ] = Λ).
    /// </summary>
    SampledFisher,
}
