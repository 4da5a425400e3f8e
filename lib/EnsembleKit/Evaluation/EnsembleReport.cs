using System.Globalization;
using System.Text;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;

namespace EnsembleKit.Evaluation;

/// <summary>
/// What <see cref="EnsembleEvaluation"/> measured: every member's scores, the ensemble's under its combination rule,
/// and the members' diversity (null for a one-member ensemble).
/// </summary>
public sealed record EnsembleReport(string Method, CombinationRule Rule, IReadOnlyList<ScoreRow> Members, ScoreRow Ensemble, DiversitySummary? Diversity)
{
    /// <summary>Members, then the ensemble.</summary>
    public IEnumerable<ScoreRow> Rows => Members.Append(Ensemble);

    /// <summary>The best member's accuracy (fraction).</summary>
    public double BestMemberAccuracy => Members.Max(m => m.Accuracy);

    /// <summary>
    /// The members' mean accuracy and its sample standard deviation (n − 1, as the papers' "mean ± std over runs";
    /// 0 for one member), both fractions.
    /// </summary>
    public (double Mean, double StandardDeviation) MemberAccuracySpread
    {
        get => SampleStatistics.MeanAndStd(Members.Select(m => m.Accuracy));
    }

    /// <summary>A plain-text table: one line a member, then the ensemble, then the diversity line.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        int width = Math.Max(8, Rows.Max(r => r.Name.Length));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"predictor".PadRight(width)}  {"acc %",7}  {"NLL",7}  {"cal. NLL",8}  {"ECE",7}  {"Brier",7}"));
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name.PadRight(width)}  {r.Accuracy * 100,7:F2}  {r.Nll,7:F4}  {r.CalibratedNll,8:F4}  {r.Ece,7:F4}  {r.Brier,7:F4}"));
        if (Diversity is { } d)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"diversity: disagreement {d.Disagreement.Mean:F4}, KL {d.KlDivergence.Mean:F4} (means over {d.Disagreement.Pairs} ordered pairs)"));
        return sb.ToString();
    }
}
