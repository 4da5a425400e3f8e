using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    // Seed 000's Fashion-MNIST MLPs (E0.2-E0.3): the three members' and the mean-of-logits ensemble's test accuracy, and
    // the distilled student's (E0.3).
    static readonly double[] Seed000Members = [87.97, 84.28, 87.30];
    const double Seed000Ensemble = 88.54, Seed000Student = 88.81;

    /// <summary>
    /// Seed 000's deep ensemble (notebook 01) beside a run: Quantity, Paper, ThisRun (test accuracy %, 2 decimals) for each
    /// of the three members, the ensemble, and the ensemble's gain over its best member in points.
    /// </summary>
    /// <exception cref="ArgumentException">The report has not three members, as the seed's ensemble.</exception>
    public static DataFrame DeepEnsembleVersusPaper(EnsembleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Members.Count != Seed000Members.Length)
            throw new ArgumentException($"seed 000's ensemble has {Seed000Members.Length} members; the report has {report.Members.Count}.", nameof(report));
        double ensemble = report.Ensemble.Accuracy * 100;
        return ToDataFrame(report.Members
            .Select((m, i) => new { Quantity = $"member {i + 1} accuracy, %", Paper = Seed000Members[i], ThisRun = Math.Round(m.Accuracy * 100, 2) })
            .Append(new { Quantity = $"ensemble accuracy, % ({RuleName(report.Rule)})", Paper = Seed000Ensemble, ThisRun = Math.Round(ensemble, 2) })
            .Append(new
            {
                Quantity = "ensemble minus best member, points",
                Paper = Math.Round(Seed000Ensemble - Seed000Members.Max(), 2),
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
            new { Quantity = "best member accuracy, %", Paper = Seed000Members.Max(), ThisRun = Math.Round(best, 2) },
            new { Quantity = "ensemble (teacher) accuracy, %", Paper = Seed000Ensemble, ThisRun = Math.Round(ensemble, 2) },
            new { Quantity = "KD student accuracy, %", Paper = Seed000Student, ThisRun = Math.Round(distilled, 2) },
            new { Quantity = "KD student minus best member, points", Paper = Math.Round(Seed000Student - Seed000Members.Max(), 2), ThisRun = Math.Round(distilled - best, 2) },
            new { Quantity = "KD student minus ensemble, points", Paper = Math.Round(Seed000Student - Seed000Ensemble, 2), ThisRun = Math.Round(distilled - ensemble, 2) },
        });
    }

    static string RuleName(CombinationRule rule) => rule switch
    {
        CombinationRule.MeanLogits => "mean of logits",
        CombinationRule.MeanProbabilities => "mean of probabilities",
        _ => "majority vote",
    };
}
