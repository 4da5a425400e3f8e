using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A linear layer with a fully factorised Gaussian ("mean-field", FFG) posterior over its weights (Blundell et al. 2015,
/// "Weight Uncertainty in Neural Networks"): every weight w_ij ~ N(μ_ij, σ_ij²) and bias b_i ~ N(μ_b,i, σ_b,i²)
/// independently, with <c>σ = softplus(ρ) = log(1 + e^ρ)</c> so that σ stays positive under unconstrained updates.
/// Parameters (state names): <c>weight_mu</c>, <c>weight_rho</c> <c>[out, in]</c>, <c>bias_mu</c>, <c>bias_rho</c> <c>[out]</c>.
/// <para>Training-mode forward uses the local reparameterisation trick (Kingma, Salimans and Welling 2015): for inputs x
/// <c>[B, in]</c> the pre-activations are Gaussian given x, so they are sampled directly,
/// <c>a = x μᵀ + μ_b + sqrt(x² (σ²)ᵀ + σ_b²) ⊙ ε</c>, ε ~ N(0, I) <c>[B, out]</c> from the global generator (which the
/// <see cref="Training.Trainer"/> seeds per epoch), i.e. an independent weight draw per example, at the cost of one extra
/// matrix product. Eval-mode forward is the mean network <c>x μᵀ + μ_b</c>.</para>
/// <para><see cref="Kl"/> is KL(q ‖ p) to the prior p = N(0, s² I), s = <see cref="PriorSigma"/>, in closed form:
/// <c>Σ [log(s/σ) + (σ² + μ²)/(2s²) − 1/2]</c> over all weights and biases.</para>
/// </summary>
public sealed class MeanFieldLinear : nn.Module<Tensor, Tensor>, IMeanFieldLayer
{
    readonly Parameter weightMu, weightRho, biasMu, biasRho;

    /// <summary>
    /// Means start as <c>nn.Linear</c>'s, U(−1/√in, 1/√in) from the global generator; every σ starts at
    /// <paramref name="initialSigma"/> (small, so training starts near a deterministic network; 1e-3 by default, ρ ≈ −6.9).
    /// </summary>
    public MeanFieldLinear(int inputSize, int outputSize, double priorSigma = 1.0, double initialSigma = 1e-3) : base("MeanFieldLinear")
    {
        TorchRuntime.EnsureInitialized();
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"input size must be positive; got {inputSize}.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), $"output size must be positive; got {outputSize}.");
        MeanFieldKl.CheckSigmas(priorSigma, initialSigma);
        InputSize = inputSize;
        OutputSize = outputSize;
        PriorSigma = priorSigma;
        double bound = 1 / Math.Sqrt(inputSize);
        using Scalar initialRho = MeanFieldKl.Rho(initialSigma);
        using (no_grad())
        {
            weightMu = new Parameter(empty(outputSize, inputSize).uniform_(-bound, bound));
            weightRho = new Parameter(full(outputSize, inputSize, initialRho));
            biasMu = new Parameter(empty(outputSize).uniform_(-bound, bound));
            biasRho = new Parameter(full(outputSize, initialRho));
        }
        register_parameter("weight_mu", weightMu);
        register_parameter("weight_rho", weightRho);
        register_parameter("bias_mu", biasMu);
        register_parameter("bias_rho", biasRho);
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    /// <summary>s, the standard deviation of the N(0, s²) prior on every weight and bias.</summary>
    public double PriorSigma { get; }

    /// <summary>μ, <c>[out, in]</c>.</summary>
    public Parameter WeightMean => weightMu;
    /// <summary>ρ, <c>[out, in]</c>; σ = softplus(ρ).</summary>
    public Parameter WeightRho => weightRho;
    /// <summary>μ_b, <c>[out]</c>.</summary>
    public Parameter BiasMean => biasMu;
    /// <summary>ρ_b, <c>[out]</c>; σ_b = softplus(ρ_b).</summary>
    public Parameter BiasRho => biasRho;

    /// <summary>σ = softplus(ρ) <c>[out, in]</c> (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor WeightSigma() => nn.functional.softplus(weightRho);

    /// <summary>σ_b = softplus(ρ_b) <c>[out]</c> (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor BiasSigma() => nn.functional.softplus(biasRho);

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != InputSize)
            throw new ArgumentException($"MeanFieldLinear expects inputs [B, {InputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        if (!training) return nn.functional.linear(input, weightMu, biasMu);
        using var scope = NewDisposeScope();
        var mean = nn.functional.linear(input, weightMu, biasMu);
        var variance = nn.functional.linear(input.square(), WeightSigma().square(), BiasSigma().square());
        return (mean + variance.sqrt() * randn_like(mean)).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q ‖ N(0, s² I)) summed over weights and biases, a scalar float32 tensor attached to the graph.</summary>
    public Tensor Kl()
    {
        using var scope = NewDisposeScope();
        return (MeanFieldKl.Gaussian(weightMu, WeightSigma(), PriorSigma) + MeanFieldKl.Gaussian(biasMu, BiasSigma(), PriorSigma)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One draw of the weights, <c>W = μ + σ ⊙ ε</c> <c>[out, in]</c> and <c>b = μ_b + σ_b ⊙ ε_b</c> <c>[out]</c>, ε standard
    /// normal from <paramref name="generator"/> (a CPU generator: the same draw on every device), weights first. Detached,
    /// on the layer's device; the caller disposes them.
    /// </summary>
    public (Tensor Weight, Tensor Bias) Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = weightMu.device;
        var weightNoise = randn([OutputSize, InputSize], generator: generator).to(device);
        var biasNoise = randn([OutputSize], generator: generator).to(device);
        var weight = weightMu + WeightSigma() * weightNoise;
        var bias = biasMu + BiasSigma() * biasNoise;
        return (weight.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    public override string ToString() => $"MeanFieldLinear({InputSize}, {OutputSize}, prior σ {PriorSigma:G3})";
}
