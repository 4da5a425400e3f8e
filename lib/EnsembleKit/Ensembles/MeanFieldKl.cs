using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>The closed forms the mean-field layers share.</summary>
internal static class MeanFieldKl
{
    /// <summary><c>Σ [log(s/σ) + (σ² + μ²)/(2s²) − 1/2]</c>, elementwise KL(N(μ, σ²) ‖ N(0, s²)) summed.</summary>
    public static Tensor Gaussian(Tensor mu, Tensor sigma, double priorSigma)
    {
        using Scalar logPriorSigma = Math.Log(priorSigma), twoPriorVariance = 2 * priorSigma * priorSigma, half = 0.5;
        return (sigma.log().neg().add(logPriorSigma) + (sigma.square() + mu.square()).div(twoPriorVariance)).sub(half).sum();
    }

    /// <summary>ρ = softplus⁻¹(σ₀) = log(e^σ₀ − 1); above 30 it equals σ₀ to double precision (and e^σ₀ would overflow further up).</summary>
    public static double Rho(double initialSigma) => initialSigma > 30 ? initialSigma : Math.Log(Math.Exp(initialSigma) - 1);

    /// <summary>Refuses a prior or initial σ that is not positive and finite.</summary>
    public static void CheckSigmas(double priorSigma, double initialSigma)
    {
        if (!(priorSigma > 0) || double.IsInfinity(priorSigma))
            throw new ArgumentOutOfRangeException(nameof(priorSigma), $"prior sigma must be positive and finite; got {priorSigma}.");
        if (!(initialSigma > 0) || double.IsInfinity(initialSigma))
            throw new ArgumentOutOfRangeException(nameof(initialSigma), $"initial sigma must be positive and finite; got {initialSigma}.");
    }
}
