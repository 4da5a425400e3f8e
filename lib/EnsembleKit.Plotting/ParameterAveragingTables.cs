using System.Globalization;
using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Seed 000's parameter-space averaging (E0.4-E0.5, notebook 03) beside a run: Quantity, Paper, ThisRun (test accuracy
    /// %, 2 decimals) for the worst of three members, their ensemble, their naive and weight-matched averages, PermAVG's
    /// hard export from each start, and the naive and weight-matched averages of the most members merged
    /// (<paramref name="largestMerge"/>, the last row of <see cref="MergeSweepRow.Run"/>).
    /// </summary>
    public static DataFrame ParameterAveragingVersusPaper(double worstMember, double ensemble, double naive, double weightMatched,
        double permAvgFromIdentity, double permAvgFromMatching, MergeSweepRow largestMerge)
    {
        ArgumentNullException.ThrowIfNull(largestMerge);
        return ToDataFrame(new[]
        {
            new { Quantity = "worst of the 3 members", Paper = Seed000Figures.MemberAccuracy.Min().ToString("F2", CultureInfo.InvariantCulture), ThisRun = Math.Round(worstMember, 2) },
            new { Quantity = "deep ensemble of 3", Paper = Seed000Figures.EnsembleAccuracy.ToString("F2", CultureInfo.InvariantCulture), ThisRun = Math.Round(ensemble, 2) },
            new { Quantity = "naive average of 3", Paper = "76.06", ThisRun = Math.Round(naive, 2) },
            new { Quantity = "weight matching, then average", Paper = "not in seed", ThisRun = Math.Round(weightMatched, 2) },
            new { Quantity = "PermAVG (identity start), hard", Paper = "not reported", ThisRun = Math.Round(permAvgFromIdentity, 2) },
            new { Quantity = "PermAVG (weight-matching start), hard", Paper = "not reported", ThisRun = Math.Round(permAvgFromMatching, 2) },
            new { Quantity = $"naive average of {largestMerge.M}", Paper = "\"toward chance\"", ThisRun = Math.Round(largestMerge.Naive, 2) },
            new { Quantity = $"weight-matched average of {largestMerge.M}", Paper = "not in seed", ThisRun = Math.Round(largestMerge.WeightMatched, 2) },
        });
    }
}
