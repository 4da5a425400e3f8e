using Plotly.NET;

namespace EnsembleKit.Plotting;

/// <summary>One named line of a <see cref="Charts.Lines"/> chart.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

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
