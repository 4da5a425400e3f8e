using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The convolutional counterpart of <see cref="MeanFieldLinear"/>: a 2-D convolution (square kernel, zero padding, no
/// groups) with a fully factorised Gaussian posterior, every weight w ~ N(μ, σ²) and bias b ~ N(μ_b, σ_b²) independently,
/// σ = softplus(ρ). Parameters (state names): <c>weight_mu</c>, <c>weight_rho</c> <c>[out, in, k, k]</c>, <c>bias_mu</c>,
/// <c>bias_rho</c> <c>[out]</c>, so a draw loads into an <c>nn.Conv2d</c> of the same shape.
/// <para>Training-mode forward uses the local reparameterisation trick (Kingma, Salimans and Welling 2015), which holds
/// for convolutions as for linear layers because every output is a linear function of the weights: given x, output
/// position t of channel o is Gaussian with mean <c>conv(x, μ)_t + μ_b</c> and variance <c>conv(x², σ²)_t + σ_b²</c>, and is
/// sampled directly, ε ~ N(0, I) from the global generator. (Outputs that share weights are drawn independently, as in
/// Kingma et al.'s and Ashukha et al.'s convolutional FFG: an unbiased but not weight-consistent estimate of the
/// expected log-likelihood.) Eval-mode forward is the mean convolution. <see cref="Kl"/> is the same closed form as
/// <see cref="MeanFieldLinear.Kl"/>.</para>
/// </summary>
public sealed class MeanFieldConv2d : nn.Module<Tensor, Tensor>, IMeanFieldLayer
{
    readonly Parameter weightMu, weightRho, biasMu, biasRho;

    /// <summary>
    /// Means start as <c>nn.Conv2d</c>'s, U(−1/√fan-in, 1/√fan-in) with fan-in = in·k², from the global generator; every σ
    /// starts at <paramref name="initialSigma"/> (1e-3 by default).
    /// </summary>
    public MeanFieldConv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, double priorSigma = 1.0,
        double initialSigma = 1e-3) : base("MeanFieldConv2d")
    {
        TorchRuntime.EnsureInitialized();
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), $"input channels must be positive; got {inChannels}.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), $"output channels must be positive; got {outChannels}.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernel size must be positive; got {kernelSize}.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), $"stride must be positive; got {stride}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be non-negative; got {padding}.");
        MeanFieldKl.CheckSigmas(priorSigma, initialSigma);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        PriorSigma = priorSigma;
        double bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
        using Scalar initialRho = MeanFieldKl.Rho(initialSigma);
        using (no_grad())
        {
            weightMu = new Parameter(empty(outChannels, inChannels, kernelSize, kernelSize).uniform_(-bound, bound));
            weightRho = new Parameter(full([outChannels, inChannels, kernelSize, kernelSize], initialRho));
            biasMu = new Parameter(empty(outChannels).uniform_(-bound, bound));
            biasRho = new Parameter(full(outChannels, initialRho));
        }
        register_parameter("weight_mu", weightMu);
        register_parameter("weight_rho", weightRho);
        register_parameter("bias_mu", biasMu);
        register_parameter("bias_rho", biasRho);
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public double PriorSigma { get; }

    /// <summary>μ, <c>[out, in, k, k]</c>.</summary>
    public Parameter WeightMean => weightMu;
    /// <summary>ρ, <c>[out, in, k, k]</c>; σ = softplus(ρ).</summary>
    public Parameter WeightRho => weightRho;
    /// <summary>μ_b, <c>[out]</c>.</summary>
    public Parameter BiasMean => biasMu;
    /// <summary>ρ_b, <c>[out]</c>; σ_b = softplus(ρ_b).</summary>
    public Parameter BiasRho => biasRho;

    /// <summary>σ = softplus(ρ) <c>[out, in, k, k]</c> (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor WeightSigma() => nn.functional.softplus(weightRho);

    /// <summary>σ_b = softplus(ρ_b) <c>[out]</c> (a new tensor, attached to the graph; the caller disposes it).</summary>
    public Tensor BiasSigma() => nn.functional.softplus(biasRho);

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InChannels)
            throw new ArgumentException($"MeanFieldConv2d expects inputs [B, {InChannels}, H, W]; got [{string.Join(", ", input.shape)}].", nameof(input));
        if (!training) return Convolve(input, weightMu, biasMu);
        using var scope = NewDisposeScope();
        var mean = Convolve(input, weightMu, biasMu);
        var variance = Convolve(input.square(), WeightSigma().square(), BiasSigma().square());
        return (mean + variance.sqrt() * randn_like(mean)).MoveToOuterDisposeScope();
    }

    Tensor Convolve(Tensor input, Tensor weight, Tensor bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding]);

    /// <summary>KL(q ‖ N(0, s² I)) summed over weights and biases, a scalar float32 tensor attached to the graph.</summary>
    public Tensor Kl()
    {
        using var scope = NewDisposeScope();
        return (MeanFieldKl.Gaussian(weightMu, WeightSigma(), PriorSigma) + MeanFieldKl.Gaussian(biasMu, BiasSigma(), PriorSigma)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One draw of the weights, <c>W = μ + σ ⊙ ε</c> <c>[out, in, k, k]</c> and <c>b = μ_b + σ_b ⊙ ε_b</c> <c>[out]</c>, ε standard
    /// normal from <paramref name="generator"/> (a CPU generator), weights first. Detached, on the layer's device; the caller
    /// disposes them.
    /// </summary>
    public (Tensor Weight, Tensor Bias) Sample(Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = weightMu.device;
        var weightNoise = randn(weightMu.shape, generator: generator).to(device);
        var biasNoise = randn([OutChannels], generator: generator).to(device);
        var weight = weightMu + WeightSigma() * weightNoise;
        var bias = biasMu + BiasSigma() * biasNoise;
        return (weight.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    public override string ToString() =>
        $"MeanFieldConv2d({InChannels}, {OutChannels}, {KernelSize}x{KernelSize}, stride {Stride}, padding {Padding}, prior σ {PriorSigma:G3})";
}
