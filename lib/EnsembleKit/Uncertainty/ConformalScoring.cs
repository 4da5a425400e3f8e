using static TorchSharp.torch;

namespace EnsembleKit.Uncertainty;

/// <summary>
/// The arithmetic of split conformal classification on host arrays: the finite-sample quantile rank, the scores of
/// <see cref="ConformalScore"/> and set membership, and the seeded uniform draws of randomised APS. One row of
/// probabilities is a span of C float64 values.
/// </summary>
/// <remarks>
/// The score of a calibration row and the test-time membership test run through the same code
/// (<see cref="Scores"/>), so a test class whose probabilities equal a calibration row's gets the bit-identical score:
/// a tie with the threshold is decided by <c>≤</c> exactly, never by rounding.
/// </remarks>
internal static class ConformalScoring
{
    /// <summary>Seed streams: calibration draws and (default) test draws never share a generator state.</summary>
    public const int CalibrationStream = 0, TestStream = 1;

    /// <summary>
    /// <c>k = ceil((n + 1)(1 − α))</c>, the rank (1-based, ascending) of the calibration score used as threshold; a
    /// value above n means the threshold is +∞. The product is computed in float64 and a relative 1e-12 is taken off
    /// before the ceiling, so that rounding in <c>1 − α</c> cannot lift an exact integer to the next one (e.g.
    /// <c>10 · (1 − 0.7) = 3.0000000000000004</c> would otherwise give 4); no α written with fewer than 12 significant
    /// digits is affected otherwise.
    /// </summary>
    public static int QuantileRank(int n, double alpha)
    {
        double level = (n + 1) * (1 - alpha);
        double k = Math.Ceiling(level - 1e-12 * (n + 1));
        return (int)Math.Clamp(k, 1, n + 1);
    }

    /// <summary>The k-th smallest score (k = <see cref="QuantileRank"/>), or +∞ when k &gt; n.</summary>
    public static double Threshold(double[] scores, double alpha)
    {
        int k = QuantileRank(scores.Length, alpha);
        if (k > scores.Length) return double.PositiveInfinity;
        var sorted = (double[])scores.Clone();
        Array.Sort(sorted);
        return sorted[k - 1];
    }

    /// <summary>
    /// The score of every class of one row, into <paramref name="scores"/> (length C): LAC <c>1 − p_y</c>; APS
    /// <c>Z(y) − v·p_y</c> (<paramref name="v"/> is 0 for <see cref="ConformalScore.ApsNonRandomized"/>), where Z(y) is
    /// the running sum, in rank order, of the probabilities ranked at or above y. Ranks are by probability descending,
    /// ties broken by class index (lower first): a total order, so the ranking is deterministic. Summing in rank order
    /// keeps Z the sequence of partial sums of the published definitions.
    /// </summary>
    public static void Scores(ConformalScore score, ReadOnlySpan<double> row, double v, Span<double> scores)
    {
        if (score == ConformalScore.Lac)
        {
            for (int y = 0; y < row.Length; y++) scores[y] = 1.0 - row[y];
            return;
        }
        Span<int> order = row.Length <= 256 ? stackalloc int[row.Length] : new int[row.Length];
        Rank(row, order);
        double mass = 0;
        foreach (int j in order)
        {
            mass += row[j];
            scores[j] = mass - v * row[j];
        }
    }

    /// <summary>
    /// The class indices of one row by probability descending, ties by class index: an insertion sort that moves a class
    /// only past strictly smaller probabilities, so tied classes keep their index order; for a handful of classes this
    /// beats a general sort with a comparison delegate.
    /// </summary>
    static void Rank(ReadOnlySpan<double> row, Span<int> order)
    {
        if (row.Length > 32)
        {
            // Insertion sort is quadratic; many classes (ImageNet's 1000) take the general sort on the same total order.
            var values = row.ToArray();
            var sorted = Enumerable.Range(0, values.Length).ToArray();
            Array.Sort(sorted, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
            sorted.CopyTo(order);
            return;
        }
        for (int j = 0; j < row.Length; j++)
        {
            int at = j;
            while (at > 0 && row[order[at - 1]] < row[j])
            {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = j;
        }
    }

    /// <summary>The score of the class <paramref name="label"/> of one row (see <see cref="Scores"/>).</summary>
    public static double Score(ConformalScore score, ReadOnlySpan<double> row, int label, double v)
    {
        Span<double> scores = row.Length <= 256 ? stackalloc double[row.Length] : new double[row.Length];
        Scores(score, row, v, scores);
        return scores[label];
    }

    /// <summary>Membership of every class of one row in the set <c>{y : score(y) ≤ threshold}</c>.</summary>
    public static bool[] Set(ConformalScore score, ReadOnlySpan<double> row, double threshold, double v)
    {
        Span<double> scores = row.Length <= 256 ? stackalloc double[row.Length] : new double[row.Length];
        Scores(score, row, v, scores);
        var members = new bool[row.Length];
        for (int y = 0; y < row.Length; y++) members[y] = scores[y] <= threshold;
        return members;
    }

    /// <summary>
    /// <paramref name="count"/> draws of Uniform[0, 1) in float64 from a TorchSharp generator seeded with
    /// <c>seed · 1000003 + stream · 7919 + 17</c>: deterministic under (seed, stream) on every machine (drawn on the CPU).
    /// </summary>
    public static double[] Draws(long seed, int stream, long count)
    {
        using var generator = new Generator(unchecked((ulong)(seed * 1_000_003L + stream * 7919L + 17)));
        using var draws = rand(count, generator: generator, dtype: ScalarType.Float64);
        return draws.data<double>().ToArray();
    }
}
