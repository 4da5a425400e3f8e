using System.Globalization;
using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Uncertainty;

/// <summary>
/// The input checks of the uncertainty, OOD and selective-prediction metrics, the sibling of
/// <c>Metrics.MetricInput</c>: every refusal is an <see cref="ArgumentException"/> (or its subclass
/// <see cref="ArgumentOutOfRangeException"/>) whose message names the argument and the offending value, e.g.
/// <c>oodScores: value NaN at index 7 is not finite.</c>
/// </summary>
internal static class UncertaintyInput
{
    /// <summary>Member logits <c>[M, N, C]</c>, floating point, M ≥ 1, N ≥ 1, C ≥ 1, every entry finite.</summary>
    public static void RequireMemberLogits(Tensor memberLogits, string name)
    {
        ArgumentNullException.ThrowIfNull(memberLogits, name);
        Shapes.RequireMembers(memberLogits, name);
        if (memberLogits.shape[1] == 0)
            throw new ArgumentException($"{name}: the batch is empty ({Shapes.Describe(memberLogits)}); a score needs at least one sample.", name);
        ValueGuards.RequireFinite(memberLogits, name);
    }

    /// <summary>A non-empty array of finite scores; names the first entry that is NaN or ±∞.</summary>
    public static void RequireScores(double[] scores, string name)
    {
        ArgumentNullException.ThrowIfNull(scores, name);
        if (scores.Length == 0) throw new ArgumentException($"{name}: empty; at least one score is needed.", name);
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException($"{name}: value {Format(scores[i])} at index {i} is not finite.", name);
    }

    /// <summary>Per-sample correctness flags, one for each confidence score.</summary>
    public static void RequireSameLength(double[] confidence, bool[] correct, string correctName)
    {
        ArgumentNullException.ThrowIfNull(correct, correctName);
        if (correct.Length != confidence.Length)
            throw new ArgumentException($"{correctName}: {correct.Length} flags for {confidence.Length} confidence scores; one per sample is needed.", correctName);
    }

    /// <summary>A fraction in <c>(0, 1]</c>: a coverage, or a true-positive rate.</summary>
    public static void RequireFraction(double value, string name)
    {
        if (!(value > 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name}: {Format(value)} is outside (0, 1].");
    }

    /// <summary>A finite, positive temperature.</summary>
    public static void RequireTemperature(double temperature, string name)
    {
        if (!(double.IsFinite(temperature) && temperature > 0))
            throw new ArgumentOutOfRangeException(name, temperature, $"{name}: {Format(temperature)}; the temperature must be finite and positive.");
    }

    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
