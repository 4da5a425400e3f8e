using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A linear layer with a fully factorised Gaussian ("mean-field", FFG) posterior over its weights (Blundell et al. 2015,
/// "Weight Uncertainty in Neural Networks"; <see cref="MeanFieldLayer"/>): weights <c>[out, in]</c>, bias <c>[out]</c>.
/// For inputs x <c>[B, in]</c> a training-mode pass samples the pre-activations
/// <c>a = x μᵀ + μ_b + sqrt(x² (σ²)ᵀ + σ_b²) ⊙ ε</c>, ε ~ N(0, I) <c>[B, out]</c>, i.e. an independent weight draw per
/// example; an eval-mode pass is the mean network <c>x μᵀ + μ_b</c>.
/// </summary>
public sealed class MeanFieldLinear : MeanFieldLayer
{
    /// <summary>
    /// Means start as <c>nn.Linear</c>'s, U(−1/√in, 1/√in) from the global generator; every σ starts at
    /// <paramref name="initialSigma"/> (small, so training starts near a deterministic network; 1e-3 by default, ρ ≈ −6.9).
    /// </summary>
    public MeanFieldLinear(int inputSize, int outputSize, double priorSigma = 1.0, double initialSigma = 1e-3)
        : base("MeanFieldLinear", Shape(inputSize, outputSize), 1 / Math.Sqrt(inputSize), priorSigma, initialSigma)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    static long[] Shape(int inputSize, int outputSize)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"input size must be positive; got {inputSize}.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), $"output size must be positive; got {outputSize}.");
        return [outputSize, inputSize];
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    private protected override void CheckInput(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != InputSize)
            throw new ArgumentException($"MeanFieldLinear expects inputs [B, {InputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
    }

    private protected override Tensor Apply(Tensor input, Tensor weight, Tensor bias) => nn.functional.linear(input, weight, bias);

    public override string ToString() => $"MeanFieldLinear({InputSize}, {OutputSize}, prior σ {PriorSigma:G3})";
}
