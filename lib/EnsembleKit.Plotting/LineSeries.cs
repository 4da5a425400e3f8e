using Plotly.NET;

namespace EnsembleKit.Plotting;

/// <summary>One named line of a <see cref="Charts.Lines"/> chart.</summary>
public sealed partial record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>
    /// One line through <paramref name="points"/> in their order, x and y read from each by <paramref name="x"/> and
    /// <paramref name="y"/>: <c>LineSeries.Of("FGE", rows, r => r.Members, r => r.ErrorPercent)</c>.
    /// </summary>
    public static LineSeries Of<T>(string name, IEnumerable<T> points, Func<T, double> x, Func<T, double> y)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var list = points.ToList();
        return new LineSeries(name, list.Select(x).ToList(), list.Select(y).ToList());
    }

    /// <summary>
    /// A curve of many points (a ROC or risk-coverage curve over 10,000 images) drawn with <paramref name="points"/> of
    /// them, evenly spaced along it by index (point i is <c>i·(n − 1) / (points − 1)</c>, so the first and last are
    /// kept); a curve of at most <paramref name="points"/> points is kept whole.
    /// </summary>
    public static LineSeries Sampled(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, int points = 200)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"'{name}' has {x.Count} x values but {y.Count} y values.", nameof(y));
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), $"need at least 2 points; got {points}.");
        int n = x.Count;
        if (n <= points) return new LineSeries(name, x.ToList(), y.ToList());
        var index = Enumerable.Range(0, points).Select(i => (int)((long)i * (n - 1) / (points - 1))).ToList();
        return new LineSeries(name, index.Select(i => x[i]).ToList(), index.Select(i => y[i]).ToList());
    }
}

public static partial class Charts
{
    /// <summary>
    /// Several named lines with markers on shared axes, e.g. accuracy against the number of averaged members, or loss
    /// along an interpolation path. Every series needs as many x as y values.
    /// </summary>
    public static GenericChart Lines(IEnumerable<LineSeries> series, string title, string xTitle, string yTitle)
    {
        var lines = series.Select(s =>
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.", nameof(series));
            return (GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(double), typeof(double), typeof(string)],
                ("x", s.X.ToArray()), ("y", s.Y.ToArray()), ("Name", s.Name), ("ShowMarkers", true));
        }).ToList();
        if (lines.Count == 0) throw new ArgumentException("no series to plot.", nameof(series));
        return ChartStyle.Titled(Chart.combine(lines), title, xTitle, yTitle);
    }
}
