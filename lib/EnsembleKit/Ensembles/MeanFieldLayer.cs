using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// What the mean-field layers share (<see cref="MeanFieldLinear"/>, <see cref="MeanFieldConv2d"/>): a fully factorised
/// Gaussian ("FFG") posterior over the weights, every weight w ~ N(μ, σ²) and bias b ~ N(μ_b, σ_b²) independently, with
/// <c>σ = softplus(ρ) = log(1 + e^ρ)</c> so that σ stays positive under unconstrained updates (Blundell et al. 2015).
/// Parameters (state names): <c>weight_mu</c>, <c>weight_rho</c> (the weight's shape), <c>bias_mu</c>, <c>bias_rho</c>
/// <c>[out]</c>.
/// <para>Both layers' outputs are linear in the weights, so given the input they are Gaussian, and a training-mode pass
/// samples them directly (the local reparameterisation trick, Kingma, Salimans and Welling 2015):
/// <c>a = f(x; μ) + μ_b + sqrt(f(x²; σ²) + σ_b²) ⊙ ε</c>, with f the layer's linear map and ε ~ N(0, I) from the global
/// generator (which the <see cref="Training.Trainer"/> seeds per epoch), at the cost of one extra application of f.
/// Eval-mode passes use the means.</para>
/// <para><see cref="Kl"/> is KL(q ‖ p) to the prior p = N(0, s² I), s = <see cref="PriorSigma"/>, in closed form:
/// <c>Σ [log(s/σ) + (σ² + μ²)/(2s²) − 1/2]</c> over all weights and biases.</para>
/// </summary>
public abstract class MeanFieldLayer : nn.Module<Tensor, Tensor>
{
    readonly Parameter weightMu, weightRho, biasMu, biasRho;

    /// <summary>Means start U(−<paramref name="bound"/>, <paramref name="bound"/>) from the global generator, weights then
    /// biases; every σ at <paramref name="initialSigma"/>.</summary>
    private protected MeanFieldLayer(string name, long[] weightShape, double bound, double priorSigma, double initialSigma) : base(name)
    {
        TorchRuntime.EnsureInitialized();
        CheckSigmas(priorSigma, initialSigma);
        PriorSigma = priorSigma;
        // softplus⁻¹(σ₀) = log(e^σ₀ − 1); above 30 it equals σ₀ to double precision (and e^σ₀ would overflow further up).
        using Scalar initialRho = initialSigma > 30 ? initialSigma : Math.Log(Math.Exp(initialSigma) - 1);
        using (no_grad())
        {
            weightMu = new Parameter(empty(weightShape).uniform_(-bound, bound));
            weightRho = new Parameter(full(weightShape, initialRho));
            biasMu = new Parameter(empty(weightShape[0]).uniform_(-bound, bound));
            biasRho = new Parameter(full(weightShape[0], initialRho));
        }
        register_parameter("weight_mu", weightMu);
        register_parameter("weight_rho", weightRho);
        register_parameter("bias_mu", biasMu);
        register_parameter("bias_rho", biasRho);
    }

    static void CheckSigmas(double priorSigma, double initialSigma)
    {
        if (!(priorSigma > 0) || double.IsInfinity(priorSigma))
            throw new ArgumentOutOfRangeException(nameof(priorSigma), $"prior sigma must be positive and finite; got {priorSigma}.");
        if (!(initialSigma > 0) || double.IsInfinity(initialSigma))
            throw new ArgumentOutOfRangeException(nameof(initialSigma), $"initial sigma must be positive and finite; got {initialSigma}.");
    }

    /// <summary>s, the standard deviation of the N(0, s²) prior on every weight and bias.</summary>
    public double PriorSigma { get; }

    /// <summary>μ, the weight's shape.</summary>
    public Parameter WeightMean => weightMu;
    /// <summary>ρ, the weight's shape; σ = softplus(ρ).</summary>
    public Parameter WeightRho => weightRho;
    /// <summary>μ_b, <c>[out]</c>.</summary>
    public Parameter BiasMean => biasMu;
    /// <summary>ρ_b, <c>[out]</c>; σ_b = softplus(ρ_b).</summary>
    public Parameter BiasRho => biasRho;

    /// <summary>σ = softplus(ρ) (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor WeightSigma() => nn.functional.softplus(weightRho);

    /// <summary>σ_b = softplus(ρ_b) <c>[out]</c> (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor BiasSigma() => nn.functional.softplus(biasRho);

    /// <summary>Refuses an input the layer cannot take, naming its shape.</summary>
    private protected abstract void CheckInput(Tensor input);

    /// <summary>The layer's linear map with the given weight and bias (the means, or σ² for the variance).</summary>
    private protected abstract Tensor Apply(Tensor input, Tensor weight, Tensor bias);

    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        if (!training) return Apply(input, weightMu, biasMu);
        using var scope = NewDisposeScope();
        var mean = Apply(input, weightMu, biasMu);
        var variance = Apply(input.square(), WeightSigma().square(), BiasSigma().square());
        return (mean + variance.sqrt() * randn_like(mean)).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q ‖ N(0, s² I)) summed over weights and biases, a scalar float32 tensor attached to the graph.</summary>
    public Tensor Kl()
    {
        using var scope = NewDisposeScope();
        return (GaussianKl(weightMu, WeightSigma()) + GaussianKl(biasMu, BiasSigma())).MoveToOuterDisposeScope();
    }

    /// <summary><c>Σ [log(s/σ) + (σ² + μ²)/(2s²) − 1/2]</c>, elementwise KL(N(μ, σ²) ‖ N(0, s²)) summed.</summary>
    Tensor GaussianKl(Tensor mu, Tensor sigma)
    {
        using Scalar logPriorSigma = Math.Log(PriorSigma), twoPriorVariance = 2 * PriorSigma * PriorSigma, half = 0.5;
        return (sigma.log().neg().add(logPriorSigma) + (sigma.square() + mu.square()).div(twoPriorVariance)).sub(half).sum();
    }

    /// <summary>
    /// One draw of the weights, <c>W = μ + σ ⊙ ε</c> (the weight's shape) and <c>b = μ_b + σ_b ⊙ ε_b</c> <c>[out]</c>, ε
    /// standard normal from <paramref name="generator"/> (a CPU generator: the same draw on every device), weights first.
    /// Detached, on the layer's device; the caller disposes them.
    /// </summary>
    public (Tensor Weight, Tensor Bias) Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = weightMu.device;
        var weightNoise = randn(weightMu.shape, generator: generator).to(device);
        var biasNoise = randn(biasMu.shape, generator: generator).to(device);
        var weight = weightMu + WeightSigma() * weightNoise;
        var bias = biasMu + BiasSigma() * biasNoise;
        return (weight.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }
}
