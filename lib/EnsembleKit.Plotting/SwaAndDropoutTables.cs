using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Ashukha et al. (2020) beside a run of notebook 07: Quantity, Paper, ThisRun for the single model, the deep ensemble
    /// of 1 to M (<paramref name="deepCurve"/>), MC dropout at T = 1, a middle T (5 when the curve goes past it) and the
    /// largest T (<paramref name="dropoutCurve"/>, one row per T, its <see cref="ScoreRow.Members"/> the T), SWA, the final
    /// SGD iterate, and the deep-ensemble equivalents of MC dropout at the largest T and of SWA.
    /// </summary>
    /// <exception cref="ArgumentException">A curve is empty, or the dropout curve has no T = 1 row.</exception>
    public static DataFrame SwaAndDropoutVersusPaper(ScoreRow single, IReadOnlyList<ScoreRow> deepCurve, IReadOnlyList<ScoreRow> dropoutCurve,
        ScoreRow swa, ScoreRow finalIterate, double dropoutEquivalent, double swaEquivalent)
    {
        ArgumentNullException.ThrowIfNull(single);
        ArgumentNullException.ThrowIfNull(deepCurve);
        ArgumentNullException.ThrowIfNull(dropoutCurve);
        ArgumentNullException.ThrowIfNull(swa);
        ArgumentNullException.ThrowIfNull(finalIterate);
        if (deepCurve.Count == 0) throw new ArgumentException("the deep-ensemble curve needs at least one row; got none.", nameof(deepCurve));
        ScoreRow Dropout(int t) => dropoutCurve.FirstOrDefault(r => r.Members == t)
            ?? throw new ArgumentException($"the MC dropout curve has no T = {t} row; it has T = {string.Join(", ", dropoutCurve.Select(r => r.Members))}.", nameof(dropoutCurve));
        var first = Dropout(1);   // refuses an empty curve too
        var samples = dropoutCurve.Select(r => r.Members).ToList();
        int tMax = samples.Max(), tMid = samples.Contains(5) && tMax > 5 ? 5 : samples[samples.Count / 2];
        var (one, many, middle, most) = (deepCurve[0], deepCurve[^1], Dropout(tMid), Dropout(tMax));
        return ToDataFrame(new[]
        {
            new { Quantity = "single model: error % / calibrated NLL", Paper = "5.83 / 0.223 (VGG16), 3.70 / 0.124 (WRN)", ThisRun = $"{single.ErrorPercent:F2} / {single.CalibratedNll:F3}" },
            new { Quantity = $"deep ensemble, 1 → {many.Members}: error %", Paper = "5.95 → 4.79 (1 → 5, VGG16)", ThisRun = $"{one.ErrorPercent:F2} → {many.ErrorPercent:F2}" },
            new { Quantity = $"deep ensemble, 1 → {many.Members}: calibrated NLL", Paper = "0.226 → 0.158", ThisRun = $"{one.CalibratedNll:F3} → {many.CalibratedNll:F3}" },
            new { Quantity = $"MC dropout, T = 1 → {tMid} → {tMax}: error %", Paper = "5.86 → 5.81 → 5.79 (T = 1, 5, 100)", ThisRun = $"{first.ErrorPercent:F2} → {middle.ErrorPercent:F2} → {most.ErrorPercent:F2}" },
            new { Quantity = $"MC dropout, T = 1 → {tMid} → {tMax}: calibrated NLL", Paper = "0.232 → 0.225 → 0.223", ThisRun = $"{first.CalibratedNll:F3} → {middle.CalibratedNll:F3} → {most.CalibratedNll:F3}" },
            new { Quantity = "SWA: error % / calibrated NLL", Paper = "SWA-Gaussian, 1 sample: 7.03 / 0.230; 5 samples: 5.66 / 0.182", ThisRun = $"{swa.ErrorPercent:F2} / {swa.CalibratedNll:F3}" },
            new { Quantity = "final SGD iterate: error % / NLL", Paper = "not reported", ThisRun = $"{finalIterate.ErrorPercent:F2} / {finalIterate.Nll:F3}" },
            new { Quantity = $"DEE: MC dropout T = {tMax}, SWA", Paper = "about 1 for dropout (its CLL barely moves with T)", ThisRun = $"{dropoutEquivalent:F2}, {swaEquivalent:F2}" },
        });
    }
}
