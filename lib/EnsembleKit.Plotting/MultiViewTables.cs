using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Seed 003's CIFAR-100 table (ResNet-28-10) beside a <see cref="MultiViewComparison"/> on multi-view data and its
    /// Gaussian-like control: Quantity, Paper, ThisRun (test accuracy %): the single model's mean, the ensemble, the sum
    /// trained jointly, knowledge distillation, self-distillation (on <paramref name="multiView"/>), then the ensemble's
    /// gain over the single model on <paramref name="control"/> in points (2 decimals).
    /// </summary>
    /// <exception cref="ArgumentException">A method is missing from either data set.</exception>
    public static DataFrame MultiViewVersusPaper(IReadOnlyList<MultiViewComparisonRow> results, string multiView = "multi-view", string control = "Gaussian control")
    {
        ArgumentNullException.ThrowIfNull(results);
        var (paper, gaussian) = (MultiViewAccuracies.Of(results, multiView), MultiViewAccuracies.Of(results, control));
        return ToDataFrame(new[]
        {
            new { Quantity = "single model (mean)", Paper = "81.51 (ResNet-28-10, C100)", ThisRun = paper.Single },
            new { Quantity = "ensemble", Paper = "84.69", ThisRun = paper.Ensemble },
            new { Quantity = "sum trained jointly", Paper = "81.83", ThisRun = paper.Sum },
            new { Quantity = "knowledge distillation", Paper = "83.81", ThisRun = paper.Distilled },
            new { Quantity = "self-distillation", Paper = "83.56", ThisRun = paper.SelfDistilled },
            new { Quantity = "Gaussian-like data: ensemble minus single, points", Paper = "about 0 (E3.3, e.g. fc2 67.7 vs 65.1)",
                ThisRun = Math.Round(gaussian.EnsembleGain, 2) },
        });
    }

    /// <summary>
    /// <see cref="ChannelViewRow.Run"/>'s rows: View, Channels, Single ("mean ± std" %, 2 decimals), Ensemble, and how much
    /// each lost against the first row (SingleDrop, EnsembleDrop, points, 2 decimals).
    /// </summary>
    public static DataFrame ChannelViews(IReadOnlyList<ChannelViewRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("no views to tabulate.", nameof(rows));
        var original = rows[0];
        return ToDataFrame(rows.Select(r => new
        {
            r.View,
            r.Channels,
            Single = $"{r.SingleMean:F2} ± {r.SingleStd:F2}",
            Ensemble = Math.Round(r.Ensemble, 2),
            SingleDrop = Math.Round(original.SingleMean - r.SingleMean, 2),
            EnsembleDrop = Math.Round(original.Ensemble - r.Ensemble, 2),
        }));
    }
}
