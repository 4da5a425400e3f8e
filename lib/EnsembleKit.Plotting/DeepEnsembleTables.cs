using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Seed 000's deep ensemble (notebook 01) beside a run: Quantity, Paper, ThisRun (test accuracy %, 2 decimals) for each
    /// of the three members, the ensemble, and the ensemble's gain over its best member in points.
    /// </summary>
    /// <exception cref="ArgumentException">The report has not three members, as the seed's ensemble.</exception>
    public static DataFrame DeepEnsembleVersusPaper(EnsembleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Members.Count != Seed000Figures.MemberAccuracy.Count)
            throw new ArgumentException($"seed 000's ensemble has {Seed000Figures.MemberAccuracy.Count} members; the report has {report.Members.Count}.", nameof(report));
        double ensemble = report.Ensemble.Accuracy * 100;
        return ToDataFrame(report.Members
            .Select((m, i) => new { Quantity = $"member {i + 1} accuracy, %", Paper = Seed000Figures.MemberAccuracy[i], ThisRun = Math.Round(m.Accuracy * 100, 2) })
            .Append(new { Quantity = $"ensemble accuracy, % ({RuleName(report.Rule)})", Paper = Seed000Figures.EnsembleAccuracy, ThisRun = Math.Round(ensemble, 2) })
            .Append(new
            {
                Quantity = "ensemble minus best member, points",
                Paper = Math.Round(Seed000Figures.EnsembleAccuracy - Seed000Figures.MemberAccuracy.Max(), 2),
                ThisRun = Math.Round(ensemble - report.BestMemberAccuracy * 100, 2),
            }));
    }

    /// <summary>
    /// Seed 000's knowledge distillation (notebook 02) beside a run: Quantity, Paper, ThisRun (test accuracy %, 2
    /// decimals) for the best member, the ensemble that teaches, the student, and the student's margins over both in points.
    /// </summary>
    /// <exception cref="ArgumentException">No members.</exception>
    public static DataFrame DistillationVersusPaper(IEnumerable<ClassificationReport> members, ClassificationReport teacher, ClassificationReport student)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(student);
        var accuracies = members.Select(m => m.Accuracy * 100).ToList();
        if (accuracies.Count == 0) throw new ArgumentException("the table needs the members the ensemble was made of; got none.", nameof(members));
        double best = accuracies.Max(), ensemble = teacher.Accuracy * 100, distilled = student.Accuracy * 100;
        return ToDataFrame(new[]
        {
            new { Quantity = "best member accuracy, %", Paper = Seed000Figures.MemberAccuracy.Max(), ThisRun = Math.Round(best, 2) },
            new { Quantity = "ensemble (teacher) accuracy, %", Paper = Seed000Figures.EnsembleAccuracy, ThisRun = Math.Round(ensemble, 2) },
            new { Quantity = "KD student accuracy, %", Paper = Seed000Figures.StudentAccuracy, ThisRun = Math.Round(distilled, 2) },
            new { Quantity = "KD student minus best member, points", Paper = Math.Round(Seed000Figures.StudentAccuracy - Seed000Figures.MemberAccuracy.Max(), 2), ThisRun = Math.Round(distilled - best, 2) },
            new { Quantity = "KD student minus ensemble, points", Paper = Math.Round(Seed000Figures.StudentAccuracy - Seed000Figures.EnsembleAccuracy, 2), ThisRun = Math.Round(distilled - ensemble, 2) },
        });
    }

    static string RuleName(CombinationRule rule) => rule switch
    {
        CombinationRule.MeanLogits => "mean of logits",
        CombinationRule.MeanProbabilities => "mean of probabilities",
        _ => "majority vote",
    };
}
