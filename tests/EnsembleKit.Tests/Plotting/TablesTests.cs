using EnsembleKit.Plotting;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Tests.Plotting;

public class TablesTests
{
    sealed record Row(string Name, double Accuracy, int Epochs, long Count, bool Best, DateTime When);

    [Fact]
    public void OneColumnPerPropertyWithItsType()
    {
        var when = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        var frame = Tables.ToDataFrame([new Row("a", 0.5, 3, 10, true, when), new Row("b", 0.25, 4, 20, false, when)]);
        Assert.Equal(["Name", "Accuracy", "Epochs", "Count", "Best", "When"], frame.Columns.Select(c => c.Name));
        Assert.IsType<StringDataFrameColumn>(frame.Columns["Name"]);
        Assert.IsType<DoubleDataFrameColumn>(frame.Columns["Accuracy"]);
        Assert.IsType<Int32DataFrameColumn>(frame.Columns["Epochs"]);
        Assert.IsType<Int64DataFrameColumn>(frame.Columns["Count"]);
        Assert.IsType<BooleanDataFrameColumn>(frame.Columns["Best"]);
        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal(0.25, frame.Columns["Accuracy"][1]);
        Assert.Equal(when.ToString(), frame.Columns["When"][0]);
    }

    [Fact]
    public void DigitsRoundFloatingColumnsOnly()
    {
        var frame = Tables.ToDataFrame(new[] { new { Name = "x", Cosine = 0.13790000000000002, Single = 0.98765f, Missing = (double?)null, Count = 7 } }, digits: 3);
        Assert.Equal(0.138, frame.Columns["Cosine"][0]);
        Assert.Equal(0.988f, frame.Columns["Single"][0]);
        Assert.Null(frame.Columns["Missing"][0]);
        Assert.Equal(7, frame.Columns["Count"][0]);
        Assert.Equal(3.0, Tables.ToDataFrame(new[] { new { V = 2.5 } }, digits: 0).Columns["V"][0]);   // a tie goes away from zero
        Assert.Throws<ArgumentOutOfRangeException>(() => Tables.ToDataFrame(new[] { new { V = 1.0 } }, digits: -1));
    }

    [Fact]
    public void ScoresShowErrorInPercentAndRoundTheRest()
    {
        // Accuracy 0.87654 -> error 12.346 % -> 12.35; 4 decimals elsewhere.
        var frame = Tables.Scores([new EnsembleKit.Evaluation.ScoreRow("deep ensemble", 5, 0.87654, 0.333333, 0.0123456, 0.19999, 0.2987654)]);
        Assert.Equal(["Predictor", "Members", "ErrorPct", "Nll", "CalibratedNll", "Ece", "Brier"], frame.Columns.Select(c => c.Name));
        Assert.Equal("deep ensemble", frame.Columns["Predictor"][0]);
        Assert.Equal(5, frame.Columns["Members"][0]);
        Assert.Equal(12.35, frame.Columns["ErrorPct"][0]);
        Assert.Equal(0.3333, frame.Columns["Nll"][0]);
        Assert.Equal(0.2988, frame.Columns["CalibratedNll"][0]);
        Assert.Equal(0.0123, frame.Columns["Ece"][0]);
        Assert.Equal(0.2, frame.Columns["Brier"][0]);
        Assert.Throws<ArgumentNullException>(() => Tables.Scores(null!));
    }

    [Fact]
    public void SizeSweepRowsShowErrorInPercentAndTheDeepEnsembleEquivalent()
    {
        var score = new EnsembleKit.Evaluation.ScoreRow("snapshot", 5, 0.87654, 0.333333, 0, 0, 0.2987654);
        var frame = Tables.SizeSweep([new EnsembleKit.Evaluation.SizeSweepRow("snapshot", 5, score, 2.3449)]);
        Assert.Equal(["Method", "k", "ErrorPct", "CalibratedNll", "Nll", "Dee"], frame.Columns.Select(c => c.Name));
        Assert.Equal("snapshot", frame.Columns["Method"][0]);
        Assert.Equal(5, frame.Columns["k"][0]);
        Assert.Equal(12.35, frame.Columns["ErrorPct"][0]);
        Assert.Equal(0.2988, frame.Columns["CalibratedNll"][0]);
        Assert.Equal(0.3333, frame.Columns["Nll"][0]);
        Assert.Equal(2.34, frame.Columns["Dee"][0]);
        Assert.Throws<ArgumentNullException>(() => Tables.SizeSweep(null!));
    }

    [Fact]
    public void SubnetworkScoresShowAccuracyInPercentPerReport()
    {
        var reports = new[] { new EnsembleKit.Metrics.ClassificationReport("parent", 0.87654, 0.333333, 0.0123456, 0.2), new EnsembleKit.Metrics.ClassificationReport("member 1", 0.5, 1.23456, 0.1, 0.3) };
        var scores = new EnsembleKit.Subnetworks.SubnetworkScores(reports, 1, 0.01, new EnsembleKit.Metrics.AccuracyDifference(0, 0, 0, 0, 10));
        var frame = Tables.SubnetworkScores(scores);
        Assert.Equal(["Predictor", "AccuracyPercent", "NLL", "ECE"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["parent", "member 1"], frame.Columns["Predictor"].Cast<string>());
        Assert.Equal(87.65, frame.Columns["AccuracyPercent"][0]);
        Assert.Equal(1.2346, frame.Columns["NLL"][1]);
        Assert.Equal(0.0123, frame.Columns["ECE"][0]);
        Assert.Throws<ArgumentNullException>(() => Tables.SubnetworkScores(null!));
    }

    [Fact]
    public void TrustRegionTablesRoundAndUseTheGridsOrder()
    {
        var grid = new EnsembleKit.Subnetworks.TrustRegionResult(
        [
            new(0.01, 0.0, MeanKl: 0.012345, MeanSquaredDifference: 0.0012345, MeanAccuracy: 0.89549, WithinBound: true),
            new(0.05, 0.0, MeanKl: 0.25, MeanSquaredDifference: 0.5, MeanAccuracy: 0.8, WithinBound: false),
            new(0.01, 0.5, MeanKl: 0.001, MeanSquaredDifference: 0, MeanAccuracy: 0.9, WithinBound: true),
            new(0.05, 0.5, MeanKl: 0.03, MeanSquaredDifference: 0, MeanAccuracy: 0.8951, WithinBound: false),
        ], Bound: 0.02, ParentAccuracy: 0.9);
        var points = Tables.TrustRegionPoints(grid);
        Assert.Equal(["Sigma", "MeanKl", "MeanSquaredDifference", "MeanChildAccuracy", "WithinBound"], points.Columns.Select(c => c.Name));
        Assert.Equal([0.01, 0.05, 0.01, 0.05], points.Columns["Sigma"].Cast<double>());
        Assert.Equal(0.0123, points.Columns["MeanKl"][0]);
        Assert.Equal(0.00123, points.Columns["MeanSquaredDifference"][0]);
        Assert.Equal(89.55, points.Columns["MeanChildAccuracy"][0]);
        Assert.Equal(false, points.Columns["WithinBound"][1]);

        var tolerance = Tables.NoiseTolerance(grid, midSigma: 0.01, highSigma: 0.05);
        Assert.Equal(["MutationSparsity", "PerturbedFraction", "ToleratedSigma", "KlAtMidSigma", "AccuracyAtMidSigma", "KlAtHighSigma", "AccuracyAtHighSigma"],
            tolerance.Columns.Select(c => c.Name));
        Assert.Equal([0.0, 0.5], tolerance.Columns["MutationSparsity"].Cast<double>());
        Assert.Equal([1.0, 0.5], tolerance.Columns["PerturbedFraction"].Cast<double>());
        Assert.Equal([0.01, 0.05], tolerance.Columns["ToleratedSigma"].Cast<double>());   // 0.45 and 0.49 points lost
        Assert.Equal(89.5, tolerance.Columns["AccuracyAtMidSigma"][0]);
        Assert.Equal(0.03, tolerance.Columns["KlAtHighSigma"][1]);
        Assert.Equal(80.0, tolerance.Columns["AccuracyAtHighSigma"][0]);
        Assert.Throws<ArgumentException>(() => Tables.NoiseTolerance(grid, midSigma: 0.02, highSigma: 0.05));
    }

    [Fact]
    public void AverageVersusVoteShowsAccuraciesInPercent()
    {
        var frame = Tables.AverageVersusVote([new EnsembleKit.Subnetworks.AverageVersusVotePoint(0.02, 0.123456, 0.81234, 0.85, 0.84123)]);
        Assert.Equal(["Sigma", "MeanKl", "MeanMember", "Average", "Vote", "AverageMinusVote"], frame.Columns.Select(c => c.Name));
        Assert.Equal(0.1235, frame.Columns["MeanKl"][0]);
        Assert.Equal(81.23, frame.Columns["MeanMember"][0]);
        Assert.Equal(85.0, frame.Columns["Average"][0]);
        Assert.Equal(84.12, frame.Columns["Vote"][0]);
        Assert.Equal(0.88, frame.Columns["AverageMinusVote"][0]);
        Assert.Throws<ArgumentNullException>(() => Tables.AverageVersusVote(null!));
    }

    [Fact]
    public void AnonymousTypesWork()
    {
        var frame = Tables.ToDataFrame(new[] { new { Predictor = "ensemble", Percent = 88.5 } });
        Assert.Equal("ensemble", frame.Columns["Predictor"][0]);
    }
}
