using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Experiments;
using EnsembleKit.Plotting;
using EnsembleKit.Tests.Experiments;
using EnsembleKit.WeightSpace;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 08's tables and chart set: the values they show, computed from hand-made studies.</summary>
public sealed class LossLandscapeTablesTests
{
    static TrajectoryStudy Study()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        using var test = new TensorDataset(tensor(new float[] { 1, 0, 0, 1, -1, 0, 0, -1, 2, 1, -1, 2 }).reshape(6, 2), tensor(new long[] { 0, 1, 0, 1, 0, 1 }), 2, "six points");
        var study = TrajectoryStudy.Of(runs, test, epochs: 3, sizeOrderings: 2, tsneRandomStarts: 1);
        foreach (var run in runs) run.Model.Dispose();
        return study;
    }

    [Fact]
    public void SubspaceGroupsAverageEachMethodAndScaleThenTheRuns()
    {
        var frame = Tables.SubspaceGroups(HandMade.Subspace());
        Assert.Equal(["Method", "Scale", "Samples", "MeanAccuracy", "MeanDisagreementWithTheta"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["random", "dropout", "independent runs"], frame.Columns["Method"].Cast<string>());
        Assert.Equal(0.1, frame.Columns["Scale"][0]);
        Assert.True(double.IsNaN((double)frame.Columns["Scale"][2]!));
        Assert.Equal([2, 2, 2], frame.Columns["Samples"].Cast<int>());
        Assert.Equal([87.25, 90.1, 89.0], frame.Columns["MeanAccuracy"].Cast<double>());                 // (89.5 + 85) / 2, (91 + 89.2) / 2, (88 + 90) / 2
        Assert.Equal([0.125, 0.065, 0.11], frame.Columns["MeanDisagreementWithTheta"].Cast<double>());
    }

    [Fact]
    public void TheComparisonPrintsEachStudysNumbersBesideThePapersWords()
    {
        var (fm, cifar) = (Study(), Study());
        var frame = Tables.LossLandscapeComparison(fm, cifar, HandMade.Subspace());
        Assert.Equal(["Quantity", "Paper", "FashionMnist", "Cifar10"], frame.Columns.Select(c => c.Name));
        Assert.Equal(13, frame.Rows.Count);
        string Row(string start, string column) =>
            (string)frame.Columns[column][frame.Columns["Quantity"].Cast<string>().ToList().FindIndex(q => q.StartsWith(start, StringComparison.Ordinal))]!;
        Assert.Equal($"{fm.Summary.CrossRunMeanAbsCosine:F3} / {fm.Summary.CrossRunMaxAbsCosine:F3}", Row("weight cosine across runs", "FashionMnist"));
        Assert.Equal($"{cifar.Summary.InitFinalCosine:F3}", Row("weight cosine initialisation", "Cifar10"));
        Assert.Equal(string.Join(" → ", fm.AccuracyBySize.Select(p => (p.Accuracy * 100).ToString("F2"))), Row("ensemble accuracy", "FashionMnist"));
        Assert.Equal("0.110 (3 samples) vs 0.110", Row("subspace samples within 1 point", "FashionMnist"));   // 0.895, 0.91, 0.892 are near; the farthest at 0.11
        Assert.Equal("1 of 4", Row("subspace samples as accurate", "FashionMnist"));
        Assert.Equal("not run", Row("subspace samples as accurate", "Cifar10"));
        Assert.Equal($"{cifar.FirstTwoRunsConfusion.MovedFraction:F3} / {cifar.FinalDisagreement[0, 1]:F3}", Row("confusion matrices", "Cifar10"));
        Assert.Throws<ArgumentNullException>(() => Tables.LossLandscapeComparison(fm, cifar, null!));
    }

    [Fact]
    public void StudiesSideBySideAndTheirFourCharts()
    {
        var study = Study();
        var frame = Tables.TrajectoryStudies([("A", study), ("B", study)]);
        Assert.Equal(["A", "B"], frame.Columns["Model"].Cast<string>());
        Assert.Equal(Math.Round(study.Summary.CrossRunMaxAbsCosine, 3), frame.Columns["CrossRunMaxAbsCosine"][1]);
        Assert.Equal(Math.Round(study.AccuracyBySize[^1].Accuracy * 100, 2), frame.Columns["AllMembersAccuracy"][0]);

        var runs = TrajectoryFixtures.TwoRuns();
        var charts = Charts.TrajectoryStudyCharts(runs, study, "CIFAR-10 X");
        Assert.Equal(["CIFAR-10 X: test accuracy along each trajectory", "CIFAR-10 X: weight cosine between all checkpoints of all runs",
            "CIFAR-10 X: prediction disagreement between all checkpoints", "CIFAR-10 X: t-SNE of the checkpoints' test predictions"],
            charts.Select(c => System.Text.Json.Nodes.JsonNode.Parse(GenericChart.toJson(c))!["layout"]!["title"]!["text"]!.GetValue<string>()));
        Assert.Throws<ArgumentException>(() => Charts.TrajectoryStudyCharts(runs, study, " "));
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void LossSurfacesSummariseEachPlaneByHand()
    {
        // A 3 x 3 plane with steps of 0.5: the centre (loss 1.0, accuracy 0.875) and its four neighbours lie within radius 0.5.
        double[,] loss = { { 2.0, 1.2, 3.0 }, { 1.05, 1.0, 1.4 }, { 2.0, 1.3, 5.0 } };
        double[,] accuracy = { { 0.5, 0.5, 0.5 }, { 0.5, 0.875, 0.5 }, { 0.5, 0.5, 0.5 } };
        var surface = new LossSurface("hand", [-0.5, 0, 0.5], [-0.5, 0, 0.5], loss, accuracy);
        var frame = Tables.LossSurfaces([surface]);
        Assert.Equal(["Model", "CentreLoss", "MeanRise", "RiseWithin05", "BasinArea01", "BasinArea05", "BasinArea10", "CentreAccuracyPercent"],
            frame.Columns.Select(c => c.Name));
        Assert.Equal("hand", frame.Columns["Model"][0]);
        Assert.Equal(1.0, frame.Columns["CentreLoss"][0]);
        Assert.Equal(0.9944, frame.Columns["MeanRise"][0]);        // 17.95 / 9 - 1
        Assert.Equal(0.19, frame.Columns["RiseWithin05"][0]);      // (0.2 + 0.05 + 0.4 + 0.3 + 0) / 5
        Assert.Equal(0.222, frame.Columns["BasinArea01"][0]);      // 1.05 and 1.0 of 9 points
        Assert.Equal(0.556, frame.Columns["BasinArea05"][0]);      // and 1.2, 1.4, 1.3
        Assert.Equal(0.778, frame.Columns["BasinArea10"][0]);      // and the two corners at 2.0
        Assert.Equal(87.5, frame.Columns["CentreAccuracyPercent"][0]);
        Assert.Equal(0.875, surface.CentreAccuracy);
        Assert.Throws<ArgumentNullException>(() => Tables.LossSurfaces(null!));
    }

    [Fact]
    public void ErrorOverlapNamesEachPairsMembers()
    {
        ErrorOverlapPair[] pairs = [new(0, 1, 10, 12, 6, 0.06, 6 / 16.0), new(0, 2, 10, 8, 3, 0.03, 3 / 15.0), new(1, 2, 12, 8, 5, 0.05, 5 / 15.0)];
        var frame = Tables.ErrorOverlap(pairs, ["parent", "child 1", "child 2"]);
        Assert.Equal(["Pair", "ErrorsA", "ErrorsB", "BothWrong", "Jaccard"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["parent / child 1", "parent / child 2", "child 1 / child 2"], frame.Columns["Pair"].Cast<string>());
        Assert.Equal([10, 10, 12], frame.Columns["ErrorsA"].Cast<int>());
        Assert.Equal([6, 3, 5], frame.Columns["BothWrong"].Cast<int>());
        Assert.Equal([0.375, 0.2, 0.333], frame.Columns["Jaccard"].Cast<double>());
        var error = Assert.Throws<ArgumentException>(() => Tables.ErrorOverlap(pairs, ["parent", "child 1"]));
        Assert.Contains("up to index 2, but 2 names", error.Message);
    }
}
