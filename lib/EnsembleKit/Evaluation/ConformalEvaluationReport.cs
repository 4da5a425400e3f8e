using System.Globalization;
using System.Text;
using EnsembleKit.Ensembles;

namespace EnsembleKit.Evaluation;

/// <summary>
/// What <see cref="ConformalEvaluation"/> measured: for each member, then the ensemble, one row per score, all
/// calibrated on the same <see cref="CalibrationCount"/> rows and tested on the same <see cref="TestCount"/> rows.
/// </summary>
public sealed record ConformalEvaluationReport(string Method, CombinationRule Rule, double Alpha, long Seed, int CalibrationCount, int TestCount,
    IReadOnlyList<ConformalRow> Rows)
{
    /// <summary>A plain-text table: one line per predictor and score; coverage and empty sets in percent.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        int width = Math.Max(9, Rows.Max(r => r.Predictor.Length));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"conformal sets at alpha {Alpha:G4} (target coverage {(1 - Alpha) * 100:F1} %): {CalibrationCount} calibration rows, {TestCount} test rows, seed {Seed}"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"predictor".PadRight(width)}  {"score",-16}  {"cover %",7}  {"size",6}  {"empty %",7}  {"q",8}"));
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Predictor.PadRight(width)}  {r.Score,-16}  {r.Coverage * 100,7:F2}  {r.MeanSetSize,6:F3}  {r.EmptyFraction * 100,7:F2}  {r.Threshold,8:F4}"));
        return sb.ToString();
    }
}
