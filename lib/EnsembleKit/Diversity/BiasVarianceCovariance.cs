using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// Ueda–Nakano bias–variance–covariance decomposition (S2 eqs 2.6–2.13, with the correct <c>(bias̄)²</c>) of the expected
/// squared error of an M-member equally weighted ensemble, the expectation taken over R independently trained replicate
/// ensembles: <c>ExpectedError = BiasSquared + Variance / M + (1 − 1/M) · Covariance</c>. Each term is computed per input
/// and class on probability vectors against one-hot targets, summed over classes and averaged over inputs.
/// Expectations over replicates use 1/R (population moments), which makes the identity exact.
/// </summary>
/// <param name="ExpectedError">mean over replicates of the ensemble's squared error ‖p̄ − y‖² (its Brier score).</param>
/// <param name="BiasSquared">(bias̄)², bias̄ = (1/M) Σ_i (E[p_i] − y).</param>
/// <param name="Variance">var̄ = (1/M) Σ_i E[(p_i − E p_i)²].</param>
/// <param name="Covariance">covar̄ = 1/(M(M−1)) Σ_i Σ_{j≠i} E[(p_i − E p_i)(p_j − E p_j)]; 0 when M = 1.</param>
/// <param name="Members">M.</param>
/// <param name="Replicates">R.</param>
public sealed record BiasVarianceCovarianceDecomposition(double ExpectedError, double BiasSquared, double Variance, double Covariance,
    int Members, int Replicates)
{
    /// <summary><c>BiasSquared + Variance/M + (1 − 1/M) Covariance − ExpectedError</c>; zero up to rounding.</summary>
    public double Residual => BiasSquared + Variance / Members + (1 - 1.0 / Members) * Covariance - ExpectedError;
}

public static partial class DiversityMetric
{
    /// <summary>
    /// The <see cref="BiasVarianceCovarianceDecomposition"/> of <paramref name="replicateLogits"/> <c>[R, M, B, C]</c>:
    /// R replicate ensembles (e.g. trained with different seeds), M members each, logits (this function applies the softmax)
    /// on the same B inputs, against <paramref name="targets"/> <c>[B]</c> int64. Member i of every replicate is drawn from the
    /// same procedure (the covariance pairs member i with member j within a replicate). Float64; throws
    /// <see cref="InvalidOperationException"/> if the terms fail to add up (|residual| &gt; 1e-9).
    /// </summary>
    public static BiasVarianceCovarianceDecomposition BiasVarianceCovariance(Tensor replicateLogits, Tensor targets)
    {
        if (replicateLogits.dim() != 4 || !replicateLogits.is_floating_point())
            throw new ArgumentException($"replicateLogits must be [R, M, B, C] floating point (replicates, members, inputs, classes); got {Shapes.Describe(replicateLogits)}.", nameof(replicateLogits));
        long r = replicateLogits.shape[0], m = replicateLogits.shape[1], b = replicateLogits.shape[2];
        if (r < 1 || m < 1 || b < 1) throw new ArgumentException($"replicateLogits needs at least one replicate, member and input; got {Shapes.Describe(replicateLogits)}.", nameof(replicateLogits));
        Shapes.RequireTargets(targets, b);
        using var scope = NewDisposeScope();
        var p = replicateLogits.to(ScalarType.Float64).softmax(3); // [R, M, B, C]
        var y = OneHot(targets.to(p.device), p.shape[3]); // [B, C]
        var expected = p.mean([0]); // [M, B, C] E over replicates
        var deviation = p - expected.unsqueeze(0); // [R, M, B, C]
        var bias = (expected - y.unsqueeze(0)).mean([0]); // [B, C]
        var variance = deviation.square().mean([0, 1]); // [B, C]
        Tensor covariance;
        if (m > 1)
        {
            var all = deviation.sum(1).square().mean([0]); // Σ_i Σ_j E[d_i d_j]  [B, C]
            var diagonal = deviation.square().mean([0]).sum(dim: 0); // Σ_i E[d_i²]
            using Scalar pairs = m * (m - 1);
            covariance = (all - diagonal).div(pairs);
        }
        else covariance = zeros_like(variance);
        var error = (p.mean([1]) - y.unsqueeze(0)).square().mean([0]); // E_r[(p̄ − y)²]  [B, C]
        double Reduce(Tensor t) => t.sum(1).mean().item<double>();
        var result = new BiasVarianceCovarianceDecomposition(Reduce(error), Reduce(bias.square()), Reduce(variance), Reduce(covariance), (int)m, (int)r);
        if (Math.Abs(result.Residual) > 1e-9)
            throw new InvalidOperationException($"bias-variance-covariance decomposition does not add up (residual {result.Residual}): {result}.");
        return result;
    }
}
