using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary><see cref="SmallBudgetSummary"/> and <see cref="SubnetworkAblationRow"/> against hand computations.</summary>
public class SmallBudgetSummaryTests
{
    static SmallBudgetRun Run(params SmallBudgetRow[] rows) => new(rows, null!, null!, null!);

    [Fact]
    public void RowsAreMeansOverRunsPerDataAndMethodInFirstSeenOrder()
    {
        var summary = SmallBudgetSummary.Of(
        [
            Run(new("C", "SSE (NP) (2)", 2, 70.0, 0.9, 0.05, 65.0), new("C", "Independent", 1, 60.0, 1.2, 0.1, 60.0), new("F", "Independent", 1, 88.0, 0.4, 0.02, 88.0)),
            Run(new("C", "SSE (NP) (2)", 2, 71.0, 0.8, 0.04, 66.0), new("C", "Independent", 1, 62.0, 1.0, 0.2, 62.0), new("F", "Independent", 1, 89.0, 0.3, 0.01, 89.0)),
        ]);
        Assert.Equal([("C", "SSE (NP) (2)"), ("C", "Independent"), ("F", "Independent")], summary.Rows.Select(r => (r.Data, r.Method)));
        var sse = summary.Rows[0];
        Assert.Equal(2, sse.Members);
        Assert.Equal(70.5, sse.Accuracy);
        Assert.Equal(0.5, sse.StdError);               // sample sd of (70, 71) = 0.7071; / sqrt(2) = 0.5
        Assert.Equal(0.85, sse.Nll);
        Assert.Equal(0.045, sse.Ece);
        Assert.Equal(65.5, sse.MemberAccuracy);
        Assert.Equal(1.0, summary.Rows[1].StdError);   // (60, 62): sd 1.4142, / sqrt(2)
        Assert.Equal(61.0, summary.Accuracy("C", "Independent"));
        Assert.Equal(70.5, summary.Accuracy("C", "SSE (NP) ("));
        Assert.Equal(88.5, summary.Accuracy("F", "Indep"));
        var missing = Assert.Throws<ArgumentException>(() => summary.Accuracy("F", "SSE"));
        Assert.Contains("C: Independent", missing.Message);
    }

    [Fact]
    public void OneRunHasNoStandardErrorAndNoRunsAreRefused()
    {
        var summary = SmallBudgetSummary.Of([Run(new SmallBudgetRow("C", "Bagging", 4, 55.555, 1.23456, 0.0123456, 50.004))]);
        var row = Assert.Single(summary.Rows);
        Assert.True(double.IsNaN(row.StdError));
        Assert.Equal((55.56, 1.2346, 0.0123, 50.0), (row.Accuracy, row.Nll, row.Ece, row.MemberAccuracy));
        Assert.Throws<ArgumentException>(() => SmallBudgetSummary.Of([]));
    }

    [Fact]
    public void AblationRowScoresTheChildrenAsSmallBudgetComparisonDoes()
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick).Fit(parent, data);
        var options = new SparseSubnetworkOptions
        {
            Children = 3,
            Sampling = SubnetworkSampling.Random,
            Mask = new MaskOptions { Sparsity = 0.5 },
            Tuning = SubnetFixtures.Quick with { Schedule = new CosineOneCycleSchedule() },
            Seed = 4,
        };
        using var ensemble = SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(8), data, options);
        var row = SubnetworkAblationRow.Of("R 0.5", ensemble, data);

        using var logits = ensemble.MemberLogits(data);
        var score = SmallBudgetComparison.Score("spiral", "R 0.5", logits, data);
        var report = ensemble.Report();
        Assert.Equal("R 0.5", row.Setting);
        Assert.Equal(3, row.Children);
        Assert.Equal(Math.Round(report.Children.Average(c => c.WeightSparsity), 4), row.ChildWeightSparsity);
        Assert.InRange(row.ChildWeightSparsity, 0.45, 0.55);
        Assert.Equal(report.Children[0].NonZero, row.NonZeroPerChild);
        Assert.Equal(report.TotalNonZero, row.TotalNonZero);
        Assert.Equal(Math.Round(score.MemberAccuracy, 2), row.MeanChildAccuracy);
        Assert.Equal(Math.Round(score.Accuracy, 2), row.EnsembleAccuracy);
    }
}
