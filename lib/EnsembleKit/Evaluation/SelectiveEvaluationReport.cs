using System.Globalization;
using System.Text;
using EnsembleKit.Ensembles;

namespace EnsembleKit.Evaluation;

/// <summary>What <see cref="SelectiveEvaluation"/> measured: every member's selective prediction, then the ensemble's under its rule.</summary>
public sealed record SelectiveEvaluationReport(string Method, CombinationRule Rule, IReadOnlyList<SelectiveRow> Members, SelectiveRow Ensemble)
{
    /// <summary>Members, then the ensemble.</summary>
    public IEnumerable<SelectiveRow> Rows => Members.Append(Ensemble);

    /// <summary>A plain-text table: one line a member, then the ensemble; accuracies in percent.</summary>
    public string ToTable()
    {
        var sb = new StringBuilder();
        int width = Math.Max(9, Rows.Max(r => r.Predictor.Length));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{"predictor".PadRight(width)}  {"acc %",7}  {"AURC",7}  {"E-AURC",7}  {"@50 %",7}  {"@90 %",7}  {"@95 %",7}  {"@99 %",7}"));
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Predictor.PadRight(width)}  {r.Accuracy * 100,7:F2}  {r.Aurc,7:F4}  {r.EAurc,7:F4}  {r.AccuracyAt50 * 100,7:F2}  {r.AccuracyAt90 * 100,7:F2}  {r.AccuracyAt95 * 100,7:F2}  {r.AccuracyAt99 * 100,7:F2}"));
        return sb.ToString();
    }
}
