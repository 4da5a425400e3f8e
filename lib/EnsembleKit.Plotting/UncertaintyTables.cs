using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Each report's ensemble row: Method, Members, AccuracyPercent (2 decimals), then NLL, CalibratedNLL, ECE and Brier
    /// (4 decimals).
    /// </summary>
    public static DataFrame EnsembleScores(IEnumerable<EnsembleReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return ToDataFrame(reports.Select(r => new
        {
            r.Method,
            Members = r.Ensemble.Members,
            AccuracyPercent = Math.Round(r.Ensemble.Accuracy * 100, 2),
            NLL = Math.Round(r.Ensemble.Nll, 4),
            CalibratedNLL = Math.Round(r.Ensemble.CalibratedNll, 4),
            ECE = Math.Round(r.Ensemble.Ece, 4),
            Brier = Math.Round(r.Ensemble.Brier, 4),
        }));
    }

    /// <summary>Out-of-distribution rows: Method (the predictor), Measure, AUROC, AUPRIn, AUPROut and FPR95 (4 decimals).</summary>
    public static DataFrame OutOfDistribution(IEnumerable<OodRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new
        {
            Method = r.Predictor,
            Measure = r.Measure.ToString(),
            AUROC = Math.Round(r.Auroc, 4),
            AUPRIn = Math.Round(r.AuprIn, 4),
            AUPROut = Math.Round(r.AuprOut, 4),
            FPR95 = Math.Round(r.FprAt95Tpr, 4),
        }));
    }

    /// <summary>Each report's ensemble row of selective prediction: Method, AURC and EAURC (5 decimals), AccuracyAt90 and AccuracyAt50 (percent, 2).</summary>
    public static DataFrame Selective(IEnumerable<SelectiveEvaluationReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return ToDataFrame(reports.Select(r => new
        {
            r.Method,
            AURC = Math.Round(r.Ensemble.Aurc, 5),
            EAURC = Math.Round(r.Ensemble.EAurc, 5),
            AccuracyAt90 = Math.Round(r.Ensemble.AccuracyAt90 * 100, 2),
            AccuracyAt50 = Math.Round(r.Ensemble.AccuracyAt50 * 100, 2),
        }));
    }

    /// <summary>
    /// Each ensemble under shift, averaged over the corruptions (<see cref="CorruptionEvaluationReport.EnsembleAt"/>): Method,
    /// accuracy in percent (2 decimals) clean and at severities 1, 3 and 5, ECE (4 decimals) clean and at severity 5.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A report lacks severity 1, 3 or 5.</exception>
    public static DataFrame ShiftSummary(IEnumerable<CorruptionEvaluationReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        return ToDataFrame(reports.Select(r => new
        {
            r.Method,
            Clean = Math.Round(r.EnsembleAt(0).Accuracy * 100, 2),
            Severity1 = Math.Round(r.EnsembleAt(1).Accuracy * 100, 2),
            Severity3 = Math.Round(r.EnsembleAt(3).Accuracy * 100, 2),
            Severity5 = Math.Round(r.EnsembleAt(5).Accuracy * 100, 2),
            EceClean = Math.Round(r.EnsembleAt(0).Ece, 4),
            EceSeverity5 = Math.Round(r.EnsembleAt(5).Ece, 4),
        }).ToList());
    }
}
