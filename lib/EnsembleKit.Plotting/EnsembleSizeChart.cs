using EnsembleKit.Diversity;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Test accuracy (%) against ensemble size, one line per curve (e.g. one per model size, as seed 001's E1.6), from
    /// <see cref="DiversityMetric.AccuracyBySize"/>. Where a point was averaged over several member orderings its std shows on hover.
    /// </summary>
    public static GenericChart EnsembleSizeCurve(IEnumerable<(string Name, IReadOnlyList<EnsembleSizePoint> Points)> curves,
        string title = "Test accuracy vs ensemble size")
    {
        var lines = curves.Select(c => (GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(int), typeof(double), typeof(string)],
            ("x", c.Points.Select(p => p.Size).ToArray()), ("y", c.Points.Select(p => p.Accuracy * 100).ToArray()),
            ("Name", c.Name), ("ShowMarkers", true),
            ("MultiText", c.Points.Select(p => p.Std > 0 ? $"± {p.Std * 100:F2} (std over orderings)" : "").ToArray()))).ToList();
        if (lines.Count == 0) throw new ArgumentException("no curves to plot.", nameof(curves));
        var chart = ChartStyle.Titled(Chart.combine(lines), title, "Ensemble size (members)", "Test accuracy, % (higher is better)");
        // whole members only on the x axis
        return GenericChart.mapLayout(FuncConvert.FromFunc<Layout, Layout>(layout =>
        {
            if (layout.GetPropertyValue("xaxis") is DynamicObj.DynamicObj axis) axis.SetProperty("dtick", 1);
            return layout;
        }), chart);
    }
}
