using EnsembleKit.Evaluation;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Test error (%) against ensemble size: one line per curve through its rows' (<see cref="ScoreRow.Members"/>,
    /// <see cref="ScoreRow.ErrorPercent"/>), named as the curve (e.g. rows of <see cref="EnsembleEvaluation.EvaluateCumulative"/>;
    /// a reference model drawn flat with <see cref="ScoreRow.AtSizes"/>). The y axis reads "test error, % (lower is better)".
    /// </summary>
    public static GenericChart ErrorBySize(string title, string xTitle, params (string Name, IEnumerable<ScoreRow> Rows)[] curves) =>
        Lines(Series(curves, ("", r => r.ErrorPercent)), title, xTitle, "test error, % (lower is better)");

    /// <summary>
    /// NLL against ensemble size: per curve two lines, "{name}, NLL" (<see cref="ScoreRow.Nll"/>) and "{name}, calibrated
    /// NLL" (<see cref="ScoreRow.CalibratedNll"/>), against <see cref="ScoreRow.Members"/>. The y axis reads "NLL (lower is better)".
    /// </summary>
    public static GenericChart NllBySize(string title, string xTitle, params (string Name, IEnumerable<ScoreRow> Rows)[] curves) =>
        Lines(Series(curves, (", NLL", r => r.Nll), (", calibrated NLL", r => r.CalibratedNll)), title, xTitle, "NLL (lower is better)");

    /// <summary>
    /// Calibrated NLL against ensemble size: one line per curve through its rows' (<see cref="ScoreRow.Members"/>,
    /// <see cref="ScoreRow.CalibratedNll"/>), named as the curve. The y axis reads "calibrated NLL (lower is better)".
    /// </summary>
    public static GenericChart CalibratedNllBySize(string title, string xTitle, params (string Name, IEnumerable<ScoreRow> Rows)[] curves) =>
        Lines(Series(curves, ("", r => r.CalibratedNll)), title, xTitle, "calibrated NLL (lower is better)");

    static List<LineSeries> Series((string Name, IEnumerable<ScoreRow> Rows)[] curves, params (string Suffix, Func<ScoreRow, double> Y)[] metrics)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Length == 0) throw new ArgumentException("no curves to plot.", nameof(curves));
        foreach (var curve in curves)
        {
            if (curve.Rows is null) throw new ArgumentNullException(nameof(curves), $"curve '{curve.Name}' has no rows.");
        }
        return curves.SelectMany(c => metrics.Select(m => LineSeries.Of(c.Name + m.Suffix, c.Rows, r => r.Members, m.Y))).ToList();
    }
}
