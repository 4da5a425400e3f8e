using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// Pairwise KL divergence <c>[M, M]</c>: entry (i, j) is <c>KL(p_i || p_j) = (1/B) Σ_b Σ_c p_i log(p_i / p_j)</c>
    /// (S2 eq 7.2), natural log, where <c>p_m = softmax(logits_m)</c>: this function applies the softmax.
    /// Not symmetric; zero diagonal. Computed in float64 from log-softmax, so no clamping is needed.
    /// <paramref name="memberLogits"/>: logits <c>[M, B, C]</c> with B &gt; 0.
    /// </summary>
    public static double[,] KlDivergenceMatrix(Tensor memberLogits)
    {
        ValueGuards.RequireMembers(memberLogits, nameof(memberLogits));
        if (memberLogits.shape[1] == 0) throw new ArgumentException($"memberLogits has no inputs: {Shapes.Describe(memberLogits)}.", nameof(memberLogits));
        using var scope = NewDisposeScope();
        long batch = memberLogits.shape[1];
        var logp = memberLogits.to(ScalarType.Float64).log_softmax(2); // [M, B, C]
        var p = logp.exp();
        // cross[i, j] = (1/B) Σ_b Σ_c p_i log p_j ; KL[i, j] = cross[i, i] - cross[i, j]
        using Scalar batchSize = batch, one = 1, zero = 0.0;
        var cross = einsum("ibc,jbc->ij", p, logp).div(batchSize);
        var offDiagonal = eye(cross.shape[0], dtype: ScalarType.Float64, device: cross.device).neg().add_(one);
        var kl = (cross.diagonal().unsqueeze(1) - cross) * offDiagonal;
        return HostMatrix.Of(kl.clamp_min(zero));
    }
}
