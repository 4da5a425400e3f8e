using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Plotting;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Tests.Plotting;

/// <summary>
/// The paper tables of notebooks 01-03, 05-07 and 21, from hand-made scores: each row's number is read from the right
/// input, rounded or formatted as the notebook prints it, beside the paper's value.
/// </summary>
public sealed class PaperTablesTests
{
    static ScoreRow Score(string name, int members, double accuracy, double nll = 1, double ece = 0.1, double calibratedNll = 0.9) =>
        new(name, members, accuracy, nll, ece, 0.5, calibratedNll);

    static List<string?> Column(DataFrame frame, string name) => frame.Columns[name].Cast<object?>().Select(v => v?.ToString()).ToList();

    [Fact]
    public void DeepEnsembleVersusPaperListsTheMembersTheEnsembleAndItsGainOverTheBestMember()
    {
        var members = new[] { Score("m1", 1, 0.8939), Score("m2", 1, 0.8897), Score("m3", 1, 0.89391) };
        var report = new EnsembleReport("deep ensemble", CombinationRule.MeanLogits, members, Score("ensemble", 3, 0.8987), null);
        var frame = Tables.DeepEnsembleVersusPaper(report);
        Assert.Equal(["Quantity", "Paper", "ThisRun"], frame.Columns.Select(c => c.Name));
        Assert.Equal([87.97, 84.28, 87.30, 88.54, 0.57], frame.Columns["Paper"].Cast<double>());   // 88.54 − 87.97
        Assert.Equal([89.39, 88.97, 89.39, 89.87, 0.48], frame.Columns["ThisRun"].Cast<double>());  // 89.87 − 89.391 = 0.479
        Assert.Equal("ensemble accuracy, % (mean of logits)", frame.Columns["Quantity"][3]);
        var two = Assert.Throws<ArgumentException>(() => Tables.DeepEnsembleVersusPaper(report with { Members = members[..2] }));
        Assert.Contains("has 3 members; the report has 2", two.Message);
    }

    [Fact]
    public void DistillationVersusPaperGivesTheStudentsMarginsOverTheBestMemberAndTheTeacher()
    {
        ClassificationReport Report(string name, double accuracy) => new(name, accuracy, 0.3, 0.01, 0.15);
        var members = new[] { Report("member 1", 0.8939), Report("member 2", 0.8964), Report("member 3", 0.8897) };
        var frame = Tables.DistillationVersusPaper(members, Report("ensemble (teacher)", 0.9001), Report("KD student", 0.8911));
        Assert.Equal([87.97, 88.54, 88.81, 0.84, 0.27], frame.Columns["Paper"].Cast<double>());   // 88.81 − 87.97, 88.81 − 88.54
        var thisRun = frame.Columns["ThisRun"].Cast<double>().ToList();
        Assert.Equal([89.64, 90.01, 89.11], thisRun.Take(3));      // the best member is member 2
        Assert.Equal(-0.53, thisRun[3], 1e-9);                      // 89.11 − 89.64
        Assert.Equal(-0.9, thisRun[4], 1e-9);                       // 89.11 − 90.01
        Assert.Throws<ArgumentException>(() => Tables.DistillationVersusPaper([], members[0], members[1]));
    }

    [Fact]
    public void ParameterAveragingVersusPaperNamesTheLargestMerge()
    {
        var frame = Tables.ParameterAveragingVersusPaper(89.391, 90.01, 24.814, 87.95, 87.66, 88.29, new MergeSweepRow(8, 10.866, 87.254, 90.3));
        Assert.Equal([89.39, 90.01, 24.81, 87.95, 87.66, 88.29, 10.87, 87.25], frame.Columns["ThisRun"].Cast<double>());
        Assert.Equal(["84.28", "88.54", "76.06", "not in seed", "not reported", "not reported", "\"toward chance\"", "not in seed"], Column(frame, "Paper"));
        Assert.Equal("naive average of 8", frame.Columns["Quantity"][6]);
        Assert.Throws<ArgumentNullException>(() => Tables.ParameterAveragingVersusPaper(1, 2, 3, 4, 5, 6, null!));
    }

    [Fact]
    public void SnapshotVersusPaperComparesTheLastSnapshotWithAllOfThem()
    {
        var frame = Tables.SnapshotVersusPaper(Score("single", 1, 0.567), Score("NoCycle", 5, 0.58), Score("last", 1, 0.566, nll: 2.6864, ece: 0.31234, calibratedNll: 1.5),
            Score("SE", 5, 0.5991, nll: 1.2041, ece: 0.04567, calibratedNll: 1.1234));
        Assert.Equal(["43.30", "42.00", "40.09", "43.40 → 40.09", "1.500 → 1.123", "2.686 → 1.204", "0.3123 → 0.0457"], Column(frame, "ThisRun"));
        Assert.Equal("7.76 → 5.52 (VGG16, 5 snapshots)", frame.Columns["Paper"][3]);
    }

    [Fact]
    public void FastGeometricVersusPaperReadsTheFgeFromTheLastRowOfTheCurve()
    {
        var bySize = new[] { Score("FGE, first 1", 1, 0.58, calibratedNll: 1.41), Score("FGE, first 2", 2, 0.585), Score("FGE, first 4", 4, 0.5864, nll: 1.363, ece: 0.0213, calibratedNll: 1.3501) };
        var frame = Tables.FastGeometricVersusPaper(Score("start", 1, 0.5829, nll: 1.376, ece: 0.05), Score("Ind", 1, 0.5673), bySize);
        Assert.Equal(["43.27", "41.36", "41.71", "42.00 → 41.36", "1.410 → 1.350", "1.376 → 1.363", "0.0500 → 0.0213"], Column(frame, "ThisRun"));
        Assert.Equal("FGE, 1 → 4 members, error %", frame.Columns["Quantity"][3]);
        Assert.Throws<ArgumentException>(() => Tables.FastGeometricVersusPaper(bySize[0], bySize[0], []));
    }

    [Fact]
    public void SwaAndDropoutVersusPaperPicksTOneFiveAndTheLargest()
    {
        var deep = new[] { Score("deep 1", 1, 0.577, calibratedNll: 1.204), Score("deep 4", 4, 0.6052, calibratedNll: 1.125) };
        var dropout = new[] { 1, 2, 5, 10, 20 }.Select(t => Score($"MC dropout, T = {t}", t, 0.57 + t / 1000.0, calibratedNll: 1.3 - t / 100.0)).ToList();
        var frame = Tables.SwaAndDropoutVersusPaper(deep[0], deep, dropout, Score("SWA", 1, 0.5466, calibratedNll: 1.27), Score("final", 1, 0.5466, nll: 1.283), 1.0, 1.004);
        var thisRun = Column(frame, "ThisRun");
        Assert.Equal("42.30 / 1.204", thisRun[0]);
        Assert.Equal(["42.30 → 39.48", "1.204 → 1.125"], thisRun.Skip(1).Take(2));
        Assert.Equal("MC dropout, T = 1 → 5 → 20: error %", frame.Columns["Quantity"][3]);
        Assert.Equal(["42.90 → 42.50 → 41.00", "1.290 → 1.250 → 1.100"], thisRun.Skip(3).Take(2));
        Assert.Equal(["45.34 / 1.270", "45.34 / 1.283", "1.00, 1.00"], thisRun.Skip(5));
        // without T = 5 past the middle, the middle T of the list is used; without T = 1 the table cannot start
        var small = Tables.SwaAndDropoutVersusPaper(deep[0], deep, dropout.Take(3).ToList(), deep[0], deep[0], 1, 1);
        Assert.Equal("MC dropout, T = 1 → 2 → 5: error %", small.Columns["Quantity"][3]);
        var noOne = Assert.Throws<ArgumentException>(() => Tables.SwaAndDropoutVersusPaper(deep[0], deep, dropout.Skip(1).ToList(), deep[0], deep[0], 1, 1));
        Assert.Contains("no T = 1 row; it has T = 2, 5, 10, 20", noOne.Message);
        Assert.Throws<ArgumentException>(() => Tables.SwaAndDropoutVersusPaper(deep[0], [], dropout, deep[0], deep[0], 1, 1));
    }

    [Fact]
    public void KernelSumVersusPaperReadsTheKernelRowByTheModelsName()
    {
        var rows = new[]
        {
            new SumAndDistillationRow("NTK (CNN)", [42.1, 43.456], 39.84, 42.96, 36.48, 41.0),
            new SumAndDistillationRow("GP", [80.0], 81.92, 84.19, 79.57, 80.1),
            new SumAndDistillationRow("MLP", [86.0], 86.42, 86.56, 85.0, 85.5),
        };
        var frame = Tables.KernelSumVersusPaper(rows);
        Assert.Equal(["SimpleCNN-10-3-NTK", "SimpleCNN-10-6-GP", "ResNet-28-10 (E3.1)"], Column(frame, "PaperNetwork"));
        Assert.Equal("30.48 / 35.33 / 40.08 / 29.43 / 29.10", frame.Columns["PaperSingleEnsSumKdSelf"][1]);
        Assert.Equal(["43.46 / 39.84 / 42.96 / 36.48 / 41.00", "80.00 / 81.92 / 84.19 / 79.57 / 80.10", "86.00 / 86.42 / 86.56 / 85.00 / 85.50"], Column(frame, "ThisRun"));
    }

    [Fact]
    public void NeuralSumVersusPaperPutsTheRunUnderThePapersTwoRows()
    {
        var result = new SumAndDistillationRow("ResNet-8", [55.0, 56.05, 54.88], 58.47, 57.734, 54.09, 54.136);
        var frame = Tables.NeuralSumVersusPaper(result, "this run");
        Assert.Equal(["Run", "Single", "BestSingle", "Ensemble", "SumTrained", "KD", "SelfDistillation"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["paper: ResNet-28-10, CIFAR-10", "paper: ResNet-28-10, CIFAR-100", "this run"], Column(frame, "Run"));
        // mean (55 + 56.05 + 54.88) / 3 = 55.31; sample std sqrt(((−0.31)² + 0.74² + (−0.43)²) / 2) = sqrt(0.8286 / 2) = 0.6437
        Assert.Equal(["55.31 ± 0.64", "56.05", "58.47", "57.73", "54.09", "54.14"], frame.Columns.Skip(1).Select(c => c[2]?.ToString()));
        Assert.Equal("96.70 ± 0.21", frame.Columns["Single"][0]);
        Assert.Throws<ArgumentException>(() => Tables.NeuralSumVersusPaper(result, " "));
    }
}
