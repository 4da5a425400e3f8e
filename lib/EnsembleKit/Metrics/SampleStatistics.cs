namespace EnsembleKit.Metrics;

/// <summary>
/// Summaries of a handful of numbers (runs, members, pairs) as the papers report them: mean ± sample standard deviation,
/// the standard error of a mean, and Pearson's correlation.
/// </summary>
public static class SampleStatistics
{
    /// <summary>The mean and the sample standard deviation (divisor n − 1; 0 for a single value).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static (double Mean, double StandardDeviation) MeanAndStd(IEnumerable<double> values)
    {
        var list = Require(values, nameof(values));
        double mean = list.Average();
        double squares = list.Sum(v => (v - mean) * (v - mean));
        return (mean, list.Count > 1 ? Math.Sqrt(squares / (list.Count - 1)) : 0.0);
    }

    /// <summary>The standard error of the mean, sample standard deviation / √n; NaN for one value (nothing to estimate it from).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double StandardError(IEnumerable<double> values)
    {
        var list = Require(values, nameof(values));
        return list.Count < 2 ? double.NaN : MeanAndStd(list).StandardDeviation / Math.Sqrt(list.Count);
    }

    /// <summary>Pearson's correlation of paired values; NaN when either side does not vary.</summary>
    /// <exception cref="ArgumentException">The lists differ in length or hold fewer than two pairs.</exception>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values and y {y.Count}; a correlation needs pairs.", nameof(y));
        if (x.Count < 2) throw new ArgumentException($"a correlation needs at least 2 pairs; got {x.Count}.", nameof(x));
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        double sxx = x.Sum(a => (a - mx) * (a - mx)), syy = y.Sum(b => (b - my) * (b - my));
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    static List<double> Require(IEnumerable<double> values, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var list = values.ToList();
        if (list.Count == 0) throw new ArgumentException("no values to summarise.", name);
        if (list.Any(double.IsNaN)) throw new ArgumentException("the values contain NaN.", name);
        return list;
    }
}
