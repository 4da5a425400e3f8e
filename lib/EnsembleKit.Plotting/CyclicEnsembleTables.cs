using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Huang et al. (2017) beside a snapshot-ensemble run (notebook 05): Quantity, Paper, ThisRun (error % with 2 decimals,
    /// calibrated NLL and NLL with 3, ECE with 4) for the single model, the NoCycle and the cyclic snapshot ensembles, and
    /// the cyclic run's last snapshot against all of its snapshots.
    /// </summary>
    public static DataFrame SnapshotVersusPaper(ScoreRow single, ScoreRow noCycleEnsemble, ScoreRow lastSnapshot, ScoreRow snapshotEnsemble)
    {
        ArgumentNullException.ThrowIfNull(single);
        ArgumentNullException.ThrowIfNull(noCycleEnsemble);
        ArgumentNullException.ThrowIfNull(lastSnapshot);
        ArgumentNullException.ThrowIfNull(snapshotEnsemble);
        var (last, all) = (lastSnapshot, snapshotEnsemble);
        return ToDataFrame(new[]
        {
            new { Quantity = "single model, error %", Paper = "5.52 (ResNet-110), 3.74 (DenseNet-100)", ThisRun = $"{single.ErrorPercent:F2}" },
            new { Quantity = "NoCycle SE, error %", Paper = "5.49, 3.80", ThisRun = $"{noCycleEnsemble.ErrorPercent:F2}" },
            new { Quantity = "snapshot ensemble, error %", Paper = "5.32 (α0 0.2), 3.44 (α0 0.2)", ThisRun = $"{all.ErrorPercent:F2}" },
            new { Quantity = "SE, 1 snapshot → all, error %", Paper = "7.76 → 5.52 (VGG16, 5 snapshots)", ThisRun = $"{last.ErrorPercent:F2} → {all.ErrorPercent:F2}" },
            new { Quantity = "SE, 1 snapshot → all, calibrated NLL", Paper = "0.247 → 0.176", ThisRun = $"{last.CalibratedNll:F3} → {all.CalibratedNll:F3}" },
            new { Quantity = "SE, 1 snapshot → all, NLL", Paper = "not reported", ThisRun = $"{last.Nll:F3} → {all.Nll:F3}" },
            new { Quantity = "SE, 1 snapshot → all, ECE", Paper = "not reported", ThisRun = $"{last.Ece:F4} → {all.Ece:F4}" },
        });
    }

    /// <summary>
    /// Garipov et al. (2018) and Ashukha et al. (2020) beside a fast-geometric-ensemble run (notebook 06): Quantity, Paper,
    /// ThisRun for Ind (one network trained for the whole budget), the FGE, its start model, and the FGE of the first 1
    /// to M members (<paramref name="bySize"/>, from <see cref="EnsembleEvaluation.EvaluateCumulative"/>; the last row is the FGE).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bySize"/> is empty.</exception>
    public static DataFrame FastGeometricVersusPaper(ScoreRow start, ScoreRow independent, IReadOnlyList<ScoreRow> bySize)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(independent);
        ArgumentNullException.ThrowIfNull(bySize);
        if (bySize.Count == 0) throw new ArgumentException("the FGE of the first k members needs at least one row; got none.", nameof(bySize));
        var (first, fge) = (bySize[0], bySize[^1]);
        return ToDataFrame(new[]
        {
            new { Quantity = "Ind (one network, budget 1B), error %", Paper = "6.75 (VGG-16), 4.72 (ResNet-164), 3.82 (WRN-28-10)", ThisRun = $"{independent.ErrorPercent:F2}" },
            new { Quantity = "FGE (budget 1B), error %", Paper = "6.48, 4.54, 3.65", ThisRun = $"{fge.ErrorPercent:F2}" },
            new { Quantity = "start model, error %", Paper = "not reported", ThisRun = $"{start.ErrorPercent:F2}" },
            new { Quantity = $"FGE, 1 → {fge.Members} members, error %", Paper = "6.52 → 5.95 (VGG16, 1 → 5; Ashukha et al.)", ThisRun = $"{first.ErrorPercent:F2} → {fge.ErrorPercent:F2}" },
            new { Quantity = $"FGE, 1 → {fge.Members} members, calibrated NLL", Paper = "0.213 → 0.187", ThisRun = $"{first.CalibratedNll:F3} → {fge.CalibratedNll:F3}" },
            new { Quantity = "start model → FGE, NLL", Paper = "not reported", ThisRun = $"{start.Nll:F3} → {fge.Nll:F3}" },
            new { Quantity = "start model → FGE, ECE", Paper = "not reported", ThisRun = $"{start.Ece:F4} → {fge.Ece:F4}" },
        });
    }
}
