using EnsembleKit.Experiments;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Seed 003's five methods (<see cref="MultiViewComparison.Run"/>) side by side, one line per data set in the order
    /// the rows name them: test accuracy (%) at x = 0 single model (mean of the single models; the per-model rows are
    /// left out), 1 ensemble, 2 sum trained jointly, 3 KD, 4 self-distillation (the rows' order within each data set).
    /// </summary>
    public static GenericChart MultiViewMethods(IEnumerable<MultiViewComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var bars = rows.Where(r => !r.Method.StartsWith("single model ", StringComparison.Ordinal) || r.Method.Contains("mean", StringComparison.Ordinal)).ToList();
        var series = bars.Select(r => r.Data).Distinct().Select(d =>
        {
            var accuracies = bars.Where(r => r.Data == d).Select(r => r.TestAccuracy).ToList();
            return new LineSeries(d, Enumerable.Range(0, accuracies.Count).Select(i => (double)i).ToList(), accuracies);
        });
        return Lines(series, "Test accuracy: 0 single (mean), 1 ensemble, 2 sum trained jointly, 3 KD, 4 self-distillation", "method", "test accuracy, %");
    }
}
