using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// How to draw a subnetwork mask. All masks are layerwise (each tensor gets the same sparsity), as in every
/// experiment of seed 002.
/// <para><b>Naming (seed-spec §5 item 3):</b> seed 002 calls its Bernoulli parameter ρ "sparsity" but uses it as the
/// probability of keeping a weight. The kit uses one meaning only: <see cref="Sparsity"/> is the fraction of units
/// <i>removed</i> (masked), <c>keepProb = 1 - Sparsity</c>. For noise mutations the mask marks the weights that are
/// perturbed, so there Sparsity is the fraction left untouched (seed 002's spiral grid, ρ = 0 = dense mutation).</para>
/// <para><b>Which tensors:</b> parameters with <c>dim() &gt;= 2</c> (linear and conv weights, first and last layer
/// included); biases (1-D parameters whose name ends in "bias") only with <see cref="IncludeBiases"/>; batch-norm
/// parameters never. <see cref="Selector"/> replaces this rule.</para>
/// <para><b>Exact count rule:</b> a tensor with <c>u</c> units (entries, or rows for <see cref="MaskStructure.Structured"/>)
/// loses <see cref="PrunedCount"/> = <c>min(round(sparsity * u), u - 1)</c> units, rounding half away from zero and always
/// keeping at least one unit, so no layer is cut off entirely.</para>
/// </summary>
public sealed record MaskOptions
{
    /// <summary>Fraction of units removed, in [0, 1).</summary>
    public double Sparsity { get; init; } = 0.5;
    public MaskStructure Structure { get; init; } = MaskStructure.Unstructured;
    public MaskCriterion Criterion { get; init; } = MaskCriterion.Random;
    public MaskSampling Sampling { get; init; } = MaskSampling.ExactCount;
    /// <summary>Also mask biases (for structured masks a bias follows the rows of its layer's weight).</summary>
    public bool IncludeBiases { get; init; }
    /// <summary>Optional rule (parameter name, parameter) -&gt; masked?, replacing the default weights-only rule.</summary>
    public Func<string, Tensor, bool>? Selector { get; init; }

    public void Validate()
    {
        if (!(Sparsity >= 0 && Sparsity < 1))
            throw new ArgumentOutOfRangeException(nameof(Sparsity), $"sparsity (the fraction of weights removed) must be in [0, 1); got {Sparsity}.");
        if (Criterion == MaskCriterion.Magnitude && Sampling == MaskSampling.Bernoulli)
            throw new ArgumentException("magnitude masks remove an exact count of the smallest weights; use MaskSampling.ExactCount with MaskCriterion.Magnitude.", nameof(Sampling));
    }

    /// <summary>Units removed from a tensor of <paramref name="units"/> units: <c>min(round(sparsity * units), units - 1)</c>.</summary>
    public static long PrunedCount(long units, double sparsity)
    {
        if (units <= 0) throw new ArgumentOutOfRangeException(nameof(units), $"a tensor must have at least one unit; got {units}.");
        long pruned = (long)Math.Round(sparsity * units, MidpointRounding.AwayFromZero);
        return Math.Clamp(pruned, 0, units - 1);
    }

    /// <summary>True when the parameter <paramref name="name"/> is masked under these options.</summary>
    public bool Selects(string name, Tensor parameter) =>
        Selector?.Invoke(name, parameter) ?? (parameter.dim() >= 2 || (IncludeBiases && parameter.dim() == 1 && IsBias(name)));

    internal static bool IsBias(string name) => name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);
}
