using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Notebook 23's equal-budget rows and its three tables, from hand-made reports.</summary>
public sealed class EqualBudgetRowTests
{
    static ScoreRow Score(string name, double accuracy, double nll, double ece) => new(name, 1, accuracy, nll, ece, 0.2, nll);

    // Two members (80 % / NLL 0.6 / ECE 0.05 and 70 % / 0.8 / 0.07), the ensemble 85 % / 0.5 / 0.04.
    static readonly EnsembleReport Clean = new("dense", CombinationRule.MeanProbabilities,
        [Score("member 1", 0.80, 0.6, 0.05), Score("member 2", 0.70, 0.8, 0.07)], Score("ensemble", 0.85, 0.5, 0.04), null);

    // Severity 3 on two corruptions: members at 60 / 50 % and 40 / 30 %, the ensemble at 65 and 45 %.
    static readonly CorruptionEvaluationReport Shifted = new("dense", CombinationRule.MeanProbabilities,
    [
        new("noise", 3, "member 1", 1, 0.60, 1.0, 0.10, 0.5), new("noise", 3, "member 2", 1, 0.50, 1.2, 0.12, 0.5), new("noise", 3, "ensemble", 2, 0.65, 0.9, 0.08, 0.4),
        new("blur", 3, "member 1", 1, 0.40, 1.4, 0.14, 0.6), new("blur", 3, "member 2", 1, 0.30, 1.6, 0.16, 0.6), new("blur", 3, "ensemble", 2, 0.45, 1.3, 0.12, 0.5),
    ]);

    [Fact]
    public void TheEnsembleRowTakesTheCombinedScoresAndTheMeanMemberRowAveragesTheMembers()
    {
        var ensemble = EqualBudgetRow.OfEnsemble("Dense ensemble (M = 2)", "2 x 20", Clean, Shifted, 3);
        Assert.Equal(85.0, ensemble.AccuracyPercent, 12);
        Assert.Equal((0.5, 0.04), (ensemble.Nll, ensemble.Ece));
        Assert.Equal(0.55, ensemble.Shifted.Accuracy, 12);      // (65 + 45) / 2
        Assert.Equal(0.10, ensemble.Shifted.Ece, 12);

        var independent = EqualBudgetRow.OfMeanMember("Independent (mean of 2)", "20", Clean, Shifted, 3);
        Assert.Equal(75.0, independent.AccuracyPercent, 12);
        Assert.Equal(0.7, independent.Nll, 12);
        Assert.Equal(0.06, independent.Ece, 12);
        Assert.Equal(0.45, independent.Shifted.Accuracy, 12);   // (60 + 50 + 40 + 30) / 4
        Assert.Equal(CorruptionEvaluationReport.MeanMember, independent.Shifted.Predictor);

        Assert.Throws<ArgumentOutOfRangeException>(() => EqualBudgetRow.OfEnsemble("x", "1", Clean, Shifted, 5));
        Assert.Throws<ArgumentException>(() => EqualBudgetRow.OfEnsemble(" ", "1", Clean, Shifted, 3));
        Assert.Throws<ArgumentNullException>(() => EqualBudgetRow.OfMeanMember("x", "1", null!, Shifted, 3));
    }

    [Fact]
    public void TheTablesRoundAsTheNotebookPrintedThem()
    {
        var rows = new[]
        {
            EqualBudgetRow.OfMeanMember("Independent (mean of 2)", "20", Clean, Shifted, 3),
            EqualBudgetRow.OfEnsemble("SSE annealed, NP 1/2 (M = 6)", "14 + 6 x 1", Clean, Shifted, 3),
            EqualBudgetRow.OfEnsemble("Parent alone (start of FGE and SSE)", "14", Clean, Shifted, 3),
        };
        var scores = Tables.EqualBudget(rows);
        Assert.Equal(["Method", "Epochs", "AccuracyPercent", "NLL", "ECE", "ShiftedAccuracyPercent", "ShiftedNLL", "ShiftedECE"], scores.Columns.Select(c => c.Name));
        Assert.Equal([75.0, 85.0, 85.0], scores.Columns["AccuracyPercent"].Cast<double>());
        Assert.Equal(45.0, scores.Columns["ShiftedAccuracyPercent"][0]);
        Assert.Equal(1.1, scores.Columns["ShiftedNLL"][1]);

        var paper = Tables.EqualBudgetVersusPaper(rows);
        Assert.Equal(["Method", "PaperAccuracy", "ThisRunAccuracy", "PaperEce", "ThisRunEce"], paper.Columns.Select(c => c.Name));
        Assert.Equal(["96.0", "96.7", "-"], paper.Columns["PaperAccuracy"].Cast<string>());
        Assert.Equal(["0.023", "-", "-"], paper.Columns["PaperEce"].Cast<string>());
        var unknown = Assert.Throws<ArgumentException>(() => Tables.EqualBudgetVersusPaper([rows[0] with { Method = "Bagging" }]));
        Assert.Contains("Table 5.2", unknown.Message);

        var partitions = Tables.PartitionsVersusPaper(Clean, Clean, Clean);
        Assert.Equal(["1/2", "1/3", "1/6"], partitions.Columns["Partition"].Cast<string>());
        Assert.Equal([95.5, 95.3, 92.9], partitions.Columns["PaperChildAccuracy"].Cast<double>());
        Assert.Equal(75.0, partitions.Columns["ChildAccuracy"][0]);
        Assert.Equal(95.1, partitions.Columns["PaperEnsembleAccuracy"][2]);
        Assert.Equal(85.0, partitions.Columns["EnsembleAccuracy"][1]);
    }
}
