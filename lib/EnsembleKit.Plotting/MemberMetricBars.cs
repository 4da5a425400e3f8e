using EnsembleKit.Evaluation;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// <see cref="MetricBars"/> of an <see cref="EnsembleReport"/>: one bar per member, then the ensemble, for
    /// <paramref name="metric"/>, default title.
    /// </summary>
    public static GenericChart MemberMetricBars(EnsembleReport report, ReportMetric metric)
    {
        ArgumentNullException.ThrowIfNull(report);
        return MetricBars(report.Rows.Select(r => r.ToReport()), metric);
    }
}
