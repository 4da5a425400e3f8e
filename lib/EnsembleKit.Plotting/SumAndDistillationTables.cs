using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// <see cref="SumAndDistillationComparison.Run"/>'s rows: Model, BestSingle, MeanSingle, Ensemble, SumTrained, KD,
    /// SelfDistillation (test accuracy %, 2 decimals).
    /// </summary>
    public static DataFrame SumAndDistillation(IEnumerable<SumAndDistillationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new
        {
            r.Model,
            BestSingle = Math.Round(r.BestSingle, 2),
            MeanSingle = Math.Round(r.MeanSingle, 2),
            Ensemble = Math.Round(r.Ensemble, 2),
            SumTrained = Math.Round(r.Sum, 2),
            KD = Math.Round(r.KnowledgeDistillation, 2),
            SelfDistillation = Math.Round(r.SelfDistillation, 2),
        }));
    }
}
