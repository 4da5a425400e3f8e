using System.Globalization;
using EnsembleKit.Metrics;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// One bar per predictor (members and ensemble, in the given order) for <paramref name="metric"/>, the
    /// value printed on each bar. The value axis is zoomed to the data (it does not start at zero, which the
    /// title says) so that differences of a fraction of a percent stay visible.
    /// </summary>
    public static GenericChart MetricBars(IEnumerable<ClassificationReport> reports, ReportMetric metric, string? title = null)
    {
        var list = reports.ToList();
        if (list.Count == 0) throw new ArgumentException("no reports to plot.", nameof(reports));
        var values = list.Select(r => ReportMetrics.Value(r, metric)).ToArray();
        string format = metric == ReportMetric.Accuracy ? "F2" : "F4";
        var bars = (GenericChart)FSharpInterop.Call(PlotlyTypes.Bar, "Column", [typeof(double), typeof(string), typeof(string), typeof(string), typeof(string)],
            ("values", values), ("Keys", list.Select(r => r.Name).ToArray()), ("Name", ReportMetrics.ShortName(metric)),
            ("MultiText", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)).ToArray()));
        double min = values.Min(), max = values.Max(), pad = Math.Max((max - min) * 0.6, Math.Abs(max) * 0.01 + 1e-9);
        double lower = Math.Max(0, min - pad);
        title ??= $"Members vs ensemble: {ReportMetrics.ShortName(metric)}" + (lower > 0 ? " (axis starts at " + lower.ToString("G3", CultureInfo.InvariantCulture) + ")" : "");
        return ChartStyle.Titled(bars, title, "Predictor", ReportMetrics.Label(metric), yRange: (lower, max + pad));
    }
}
