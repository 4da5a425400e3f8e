using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Deep ensemble equivalents (<see cref="DeeRow.Of"/>), one row per method: Method, ForwardPasses, ErrorPct (2
    /// decimals), Nll, CalibratedNll, Ece (4) and Dee (2).
    /// </summary>
    public static DataFrame DeepEnsembleEquivalents(IEnumerable<DeeRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(d => new
        {
            d.Method,
            d.ForwardPasses,
            ErrorPct = Math.Round(d.Scores.ErrorPercent, 2),
            Nll = Math.Round(d.Scores.Nll, 4),
            CalibratedNll = Math.Round(d.Scores.CalibratedNll, 4),
            Ece = Math.Round(d.Scores.Ece, 4),
            Dee = Math.Round(d.Dee, 2),
        }));
    }
}
