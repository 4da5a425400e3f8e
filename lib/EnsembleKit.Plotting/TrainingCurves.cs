using EnsembleKit.Training;
using Plotly.NET;

namespace EnsembleKit.Plotting;

/// <summary>Chart builders for EnsembleKit results; each returns a Plotly.NET <see cref="GenericChart"/>.</summary>
public static partial class Charts
{
    /// <summary>
    /// Training loss per epoch, one line per member (legend = each history's label, e.g. "member 1/3").
    /// Epochs are counted from 1 on the x axis.
    /// </summary>
    public static GenericChart TrainingCurves(IEnumerable<TrainingHistory> histories, string title = "Training loss of each member")
    {
        var lines = histories.Select(h => (GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(int), typeof(double), typeof(string)],
            ("x", h.Epochs.Select(e => e.Epoch + 1).ToArray()), ("y", h.Epochs.Select(e => e.Loss).ToArray()),
            ("Name", h.Label), ("ShowMarkers", true))).ToList();
        if (lines.Count == 0) throw new ArgumentException("no training histories to plot.", nameof(histories));
        return ChartStyle.Titled(Chart.combine(lines), title, "Epoch", "Mean training cross-entropy (lower is better)");
    }
}
