using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Merged models (notebook 03): Method, TestAccuracy (%, 2 decimals), ForwardPasses, one row per
    /// <see cref="MergedModelRow"/> in their order.
    /// </summary>
    public static DataFrame MergedModels(IEnumerable<MergedModelRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new { r.Method, TestAccuracy = Math.Round(r.Accuracy, 2), r.ForwardPasses }));
    }
}
