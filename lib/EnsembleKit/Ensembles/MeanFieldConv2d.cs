using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The convolutional counterpart of <see cref="MeanFieldLinear"/> (<see cref="MeanFieldLayer"/>): a 2-D convolution
/// (square kernel, zero padding, no groups) with weights <c>[out, in, k, k]</c> and bias <c>[out]</c>, so a draw loads into
/// an <c>nn.Conv2d</c> of the same shape. Every output is linear in the weights, so given x output position t of channel o
/// is Gaussian with mean <c>conv(x, μ)_t + μ_b</c> and variance <c>conv(x², σ²)_t + σ_b²</c>, and a training-mode pass samples
/// it directly. (Outputs that share weights are drawn independently, as in Kingma et al.'s and Ashukha et al.'s
/// convolutional FFG: an unbiased but not weight-consistent estimate of the expected log-likelihood.) An eval-mode pass
/// is the mean convolution.
/// </summary>
public sealed class MeanFieldConv2d : MeanFieldLayer
{
    /// <summary>
    /// Means start as <c>nn.Conv2d</c>'s, U(−1/√fan-in, 1/√fan-in) with fan-in = in·k², from the global generator; every σ
    /// starts at <paramref name="initialSigma"/> (1e-3 by default).
    /// </summary>
    public MeanFieldConv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, double priorSigma = 1.0,
        double initialSigma = 1e-3)
        : base("MeanFieldConv2d", Shape(inChannels, outChannels, kernelSize, stride, padding), 1 / Math.Sqrt(inChannels * kernelSize * kernelSize),
            priorSigma, initialSigma)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    static long[] Shape(int inChannels, int outChannels, int kernelSize, int stride, int padding)
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), $"input channels must be positive; got {inChannels}.");
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), $"output channels must be positive; got {outChannels}.");
        if (kernelSize <= 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernel size must be positive; got {kernelSize}.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), $"stride must be positive; got {stride}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be non-negative; got {padding}.");
        return [outChannels, inChannels, kernelSize, kernelSize];
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }

    private protected override void CheckInput(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InChannels)
            throw new ArgumentException($"MeanFieldConv2d expects inputs [B, {InChannels}, H, W]; got [{string.Join(", ", input.shape)}].", nameof(input));
    }

    private protected override Tensor Apply(Tensor input, Tensor weight, Tensor bias) =>
        nn.functional.conv2d(input, weight, bias, strides: [Stride, Stride], padding: [Padding, Padding]);

    public override string ToString() =>
        $"MeanFieldConv2d({InChannels}, {OutChannels}, {KernelSize}x{KernelSize}, stride {Stride}, padding {Padding}, prior σ {PriorSigma:G3})";
}
