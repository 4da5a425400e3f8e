using EnsembleKit.Experiments;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Seed 000's merge sweep (<see cref="MergeSweepRow.Run"/>): test accuracy (%) against the number of members M, one
    /// line each for the naive average, the weight-matched average and the deep ensemble.
    /// </summary>
    public static GenericChart MergeSweep(IEnumerable<MergeSweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sweep = rows.ToList();
        if (sweep.Count == 0) throw new ArgumentException("no merge sweep rows to plot.", nameof(rows));
        return Lines(new[]
        {
            LineSeries.Of("naive weight average", sweep, s => s.M, s => s.Naive),
            LineSeries.Of("weight matching, then average", sweep, s => s.M, s => s.WeightMatched),
            LineSeries.Of("deep ensemble (M forward passes)", sweep, s => s.M, s => s.Ensemble),
        }, "Test accuracy against the number of members merged", "members M", "test accuracy, %");
    }
}
