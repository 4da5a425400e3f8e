using System.Globalization;
using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Metrics;

/// <summary>
/// The one place where metric inputs are checked, so that every metric refuses bad input the same way: an
/// <see cref="ArgumentException"/> whose message names the argument and the offending value, e.g.
/// <c>targets: value 10 at index 3 is outside [0, 10).</c> or
/// <c>probs: row 5 sums to 3.2, expected 1 (logits passed as probabilities?).</c>
/// </summary>
/// <remarks>
/// Every check is a handful of tensor reductions brought to the host in one transfer; only after a check has failed is
/// the first offending row located (row-major order), to name it. Three kinds of input exist:
/// <list type="bullet">
/// <item><description><see cref="RequireScores"/>: logits or probabilities read through their argmax only.</description></item>
/// <item><description><see cref="RequireProbabilities"/>: a distribution per row (NLL, Brier, the calibration errors).</description></item>
/// <item><description><see cref="RequireFiniteLogits"/>: logits that are scaled and soft-maxed (temperature scaling).</description></item>
/// </list>
/// All three also require the layout <c>[B, C]</c> with B ≥ 1 and targets <c>[B]</c> int64 in <c>[0, C)</c>.
/// </remarks>
internal static class MetricInput
{
    /// <summary>
    /// Scores <c>[B, C]</c> (logits or probabilities) for metrics that only take the argmax. NaN and +∞ are refused
    /// (argmax would rank them first, so a broken row could count as correct), as is a row that is −∞ throughout
    /// (it has no top class); a −∞ entry alone is fine: it is the log of a zero probability.
    /// </summary>
    public static void RequireScores(Tensor scores, Tensor targets, string scoresName = "scores")
    {
        RequireLayout(scores, targets, scoresName, minClasses: 1);
        using var scope = NewDisposeScope();
        var broken = scores.isnan().logical_or(scores.isposinf());
        var noTop = scores.amax(1).isneginf();
        var summary = Host(broken.sum(), noTop.sum());
        if (summary[0] > 0)
        {
            var (row, column) = FirstCell(broken);
            throw new ArgumentException($"{scoresName}: row {row} holds {Format(scores[row, column].to(ScalarType.Float64).item<double>())} at class {column}; scores must not be NaN or +inf.", scoresName);
        }
        if (summary[1] > 0)
        {
            long row = FirstTrue(noTop);
            throw new ArgumentException($"{scoresName}: row {row} is -inf for every class, so it has no top class.", scoresName);
        }
    }

    /// <summary>
    /// Probabilities <c>[B, C]</c>: finite, in <c>[0, 1]</c>, each row summing to 1 within
    /// <see cref="RowSumTolerance"/> of its dtype. The last two checks are what catch logits passed as probabilities.
    /// </summary>
    public static void RequireProbabilities(Tensor probs, Tensor targets, string probsName = "probs")
    {
        RequireLayout(probs, targets, probsName, minClasses: 1);
        using var scope = NewDisposeScope();
        double tolerance = RowSumTolerance(probs.dtype);
        var p = probs.detach().to(ScalarType.Float64);
        var nonFinite = p.isfinite().logical_not();
        using Scalar one = 1;
        var rowError = p.sum(1).sub(one).abs();
        var summary = Host(nonFinite.sum(), p.min(), p.max(), rowError.max());
        if (summary[0] > 0)
        {
            var (row, column) = FirstCell(nonFinite);
            throw new ArgumentException($"{probsName}: row {row} holds {Format(p[row, column].item<double>())} at class {column}; probabilities must be finite.", probsName);
        }
        if (summary[1] < 0 || summary[2] > 1 + tolerance)
        {
            using Scalar zero = 0, upperBound = 1 + tolerance;
            var (row, column) = FirstCell(p.lt(zero).logical_or(p.gt(upperBound)));
            throw new ArgumentException($"{probsName}: value {Format(p[row, column].item<double>())} at row {row}, class {column} is outside [0, 1] (logits passed as probabilities?).", probsName);
        }
        if (summary[3] > tolerance)
        {
            using Scalar rowTolerance = tolerance;
            long row = FirstTrue(rowError.gt(rowTolerance));
            throw new ArgumentException($"{probsName}: row {row} sums to {Format(p[row].sum().item<double>())}, expected 1 (logits passed as probabilities?).", probsName);
        }
    }

    /// <summary>Logits <c>[B, C]</c> with at least <paramref name="minClasses"/> classes and every entry finite.</summary>
    public static void RequireFiniteLogits(Tensor logits, Tensor targets, string logitsName, long minClasses)
    {
        RequireLayout(logits, targets, logitsName, minClasses);
        using var scope = NewDisposeScope();
        var nonFinite = logits.isfinite().logical_not();
        if (Host(nonFinite.sum())[0] > 0)
        {
            var (row, column) = FirstCell(nonFinite);
            throw new ArgumentException($"{logitsName}: row {row} holds {Format(logits[row, column].to(ScalarType.Float64).item<double>())} at class {column}; logits must be finite.", logitsName);
        }
    }

    /// <summary>
    /// How far a row of probabilities may sum from 1: 1e-3 for float32 and float64 (a float32 softmax is off by
    /// about 1e-7; probabilities rounded to a few decimals by hand stay well within), more for the half-precision
    /// types, whose every entry carries a relative rounding error of 2^-11 (float16) or 2^-8 (bfloat16).
    /// </summary>
    public static double RowSumTolerance(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => 1e-2,
        ScalarType.BFloat16 => 2e-2,
        _ => 1e-3,
    };

    /// <summary>Layout <c>[B, C]</c> floating point, B ≥ 1, C ≥ <paramref name="minClasses"/>, targets <c>[B]</c> int64 in <c>[0, C)</c>.</summary>
    static void RequireLayout(Tensor values, Tensor targets, string name, long minClasses)
    {
        Shapes.RequireScoresAndTargets(values, targets, name);
        if (values.shape[0] == 0)
            throw new ArgumentException($"{name}: the batch is empty ({Shapes.Describe(values)}); a metric needs at least one sample.", name);
        if (values.shape[1] < minClasses)
            throw new ArgumentException($"{name}: {values.shape[1]} classes ({Shapes.Describe(values)}); at least {minClasses} needed.", name);
        ValueGuards.RequireClassIndices(targets, values.shape[1]);
    }

    /// <summary>The given 0-dim tensors as float64 values on the host, in one transfer.</summary>
    static double[] Host(params Tensor[] scalars) =>
        stack(scalars.Select(s => s.to(ScalarType.Float64)).ToArray()).cpu().data<double>().ToArray();

    /// <summary>Index of the first true entry of a 1-d mask that has one.</summary>
    static long FirstTrue(Tensor mask) => mask.nonzero()[0, 0].cpu().item<long>();

    /// <summary>(row, column) of the first true entry, in row-major order, of a 2-d mask that has one.</summary>
    static (long Row, long Column) FirstCell(Tensor mask)
    {
        var at = mask.nonzero()[0].cpu().data<long>().ToArray();
        return (at[0], at[1]);
    }

    static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
