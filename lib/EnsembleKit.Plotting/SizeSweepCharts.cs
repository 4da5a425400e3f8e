using EnsembleKit.Evaluation;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// A <see cref="EnsembleKit.Evaluation.SizeSweep"/> as lines against k, one per method of <paramref name="methods"/>
    /// (in that order), the score read by <paramref name="value"/>: e.g. <c>r => r.CalibratedNll</c> for Ashukha et al.'s plots.
    /// </summary>
    public static GenericChart SizeSweep(IReadOnlyList<SizeSweepRow> rows, IEnumerable<string> methods, Func<ScoreRow, double> value, string title, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(value);
        var lines = methods.Select(m => rows.Any(r => r.Method == m) ? LineSeries.Of(m, rows.Where(r => r.Method == m), r => r.K, r => value(r.Score))
            : throw new ArgumentException($"the sweep has no rows for '{m}'.", nameof(methods))).ToList();
        return Lines(lines, title, "k", yTitle);
    }
}
