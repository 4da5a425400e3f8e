using System.Globalization;
using System.Text;
using EnsembleKit.Ensembles;

namespace EnsembleKit.Evaluation;

/// <summary>
/// What <see cref="CorruptionEvaluation"/> measured. <see cref="Rows"/>: the clean test set (severity 0), then each
/// corruption in the order asked, each severity in the order asked, and within a set every member, then the ensemble.
/// </summary>
public sealed record CorruptionEvaluationReport(string Method, CombinationRule Rule, IReadOnlyList<CorruptionRow> Rows)
{
    /// <summary>
    /// The data of Ovadia et al. (2019)'s shift figures: per severity (0 = clean, then the severities evaluated, ascending)
    /// and predictor, the mean of each score over the corruptions. Severity 0's rows are the clean rows themselves;
    /// the others are named <see cref="CorruptionEvaluation.Mean"/>.
    /// </summary>
    public IReadOnlyList<CorruptionRow> SeverityMeans()
    {
        var predictors = Rows.Where(r => r.Severity == 0).ToList();
        var means = new List<CorruptionRow>(predictors);
        foreach (int severity in Rows.Select(r => r.Severity).Where(s => s > 0).Distinct().Order())
            foreach (var predictor in predictors)
            {
                var at = Rows.Where(r => r.Severity == severity && r.Predictor == predictor.Predictor).ToList();
                means.Add(new CorruptionRow(CorruptionEvaluation.Mean, severity, predictor.Predictor, predictor.Members,
                    at.Average(r => r.Accuracy), at.Average(r => r.Nll), at.Average(r => r.Ece), at.Average(r => r.Brier)));
            }
        return means;
    }

    /// <summary>
    /// The ensemble's row of <see cref="SeverityMeans"/> at <paramref name="severity"/>: its clean scores at 0, else each
    /// score averaged over the corruptions at that severity.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">That severity was not evaluated.</exception>
    public CorruptionRow EnsembleAt(int severity) => MeanAt(severity, members: false);

    /// <summary>
    /// The average member at <paramref name="severity"/> (e.g. the "Independent" row of a paper's table, one network
    /// trained alone): each score averaged over every member's row at that severity, over the corruptions too above 0.
    /// Named <see cref="MeanMember"/>, with one member.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">That severity was not evaluated.</exception>
    public CorruptionRow MeanMemberAt(int severity) => MeanAt(severity, members: true);

    /// <summary>The ensemble's rows (or every member's) at one severity, averaged in row order; one row stays as it is.</summary>
    CorruptionRow MeanAt(int severity, bool members)
    {
        var at = Rows.Where(r => r.Severity == severity && (r.Predictor != "ensemble") == members).ToList();
        if (at.Count == 0)
            throw new ArgumentOutOfRangeException(nameof(severity), $"severity {severity} was not evaluated; the report has "
                + string.Join(", ", Rows.Select(r => r.Severity).Distinct().Order()) + ".");
        return new CorruptionRow(severity == 0 ? CorruptionEvaluation.Clean : CorruptionEvaluation.Mean, severity,
            members ? MeanMember : at[0].Predictor, members ? 1 : at[0].Members,
            at.Average(r => r.Accuracy), at.Average(r => r.Nll), at.Average(r => r.Ece), at.Average(r => r.Brier));
    }

    /// <summary>The predictor name of <see cref="MeanMemberAt"/>'s rows.</summary>
    public const string MeanMember = "mean member";

    /// <summary>A plain-text table of every row; accuracy in percent.</summary>
    public string ToTable() => Table(Rows);

    /// <summary>A plain-text table of <see cref="SeverityMeans"/>.</summary>
    public string SeverityTable() => Table(SeverityMeans());

    static string Table(IReadOnlyList<CorruptionRow> rows)
    {
        var sb = new StringBuilder();
        int corruption = Math.Max(10, rows.Max(r => r.Corruption.Length));
        int predictor = Math.Max(9, rows.Max(r => r.Predictor.Length));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"corruption".PadRight(corruption)}  {"sev",3}  {"predictor".PadRight(predictor)}  {"acc %",7}  {"NLL",7}  {"ECE",7}  {"Brier",7}"));
        foreach (var r in rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Corruption.PadRight(corruption)}  {r.Severity,3}  {r.Predictor.PadRight(predictor)}  {r.Accuracy * 100,7:F2}  {r.Nll,7:F4}  {r.Ece,7:F4}  {r.Brier,7:F4}"));
        return sb.ToString();
    }
}
