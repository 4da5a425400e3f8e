using EnsembleKit.Metrics;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Reliability diagram: for each predictor, accuracy against mean confidence in each non-empty
    /// confidence bin (<see cref="Metric.ReliabilityBins"/>), with the diagonal of perfect calibration.
    /// Points below the diagonal are over-confident.
    /// </summary>
    public static GenericChart ReliabilityDiagram(IEnumerable<(string Name, IReadOnlyList<CalibrationBin> Bins)> predictors,
        string title = "Reliability diagram: accuracy vs confidence")
    {
        var charts = new List<GenericChart>
        {
            (GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(double), typeof(double), typeof(string)],
                ("x", new[] { 0.0, 1.0 }), ("y", new[] { 0.0, 1.0 }), ("Name", "perfect calibration"),
                ("LineDash", StyleParam.DrawingStyle.Dash), ("LineColor", Color.fromString("grey"))),
        };
        foreach (var (name, bins) in predictors)
        {
            var filled = bins.Where(b => b.Count > 0).ToList();
            charts.Add((GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(double), typeof(double), typeof(string)],
                ("x", filled.Select(b => b.Confidence).ToArray()), ("y", filled.Select(b => b.Accuracy).ToArray()),
                ("Name", name), ("ShowMarkers", true),
                ("MultiText", filled.Select(b => $"{b.Count} samples").ToArray())));
        }
        if (charts.Count == 1) throw new ArgumentException("no predictors to plot.", nameof(predictors));
        return ChartStyle.Titled(Chart.combine(charts), title, "Mean confidence in bin (top class probability)",
            "Accuracy in bin", xRange: (0, 1), yRange: (0, 1.02));
    }
}
