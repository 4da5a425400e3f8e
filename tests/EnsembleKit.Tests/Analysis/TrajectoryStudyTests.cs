using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public sealed class TrajectoryStudyTests
{
    /// <summary>Six 2-d points of two classes for the fixture's 2-input, 2-class stand-in models.</summary>
    static TensorDataset SixPoints() => new(
        tensor(new float[] { 1, 0, 0, 1, -1, 0, 0, -1, 2, 1, -1, 2 }).reshape(6, 2), tensor(new long[] { 0, 1, 0, 1, 0, 1 }), 2, "six points");

    [Fact]
    public void HoldsWhatEachMeasureGivesOnItsOwn()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        using var test = SixPoints();
        var study = TrajectoryStudy.Of(runs, test, epochs: 3, sizeOrderings: 3, tsneRandomStarts: 2);

        var points = TrajectoryRun.Checkpoints(runs);
        Assert.Equal(TrajectoryRun.CheckpointLabels(runs), study.CheckpointLabels);
        Assert.Equal(["run 1", "run 2"], study.RunNames);
        Assert.Equal(TrajectoryMatrices.WeightCosine(points), study.WeightCosine);
        Assert.Equal(TrajectoryMatrices.Disagreement(points), study.Disagreement);
        using var finalLogits = Predict.MemberLogits(runs.Select(r => r.Model), test);
        var finalDisagreement = DiversityMetric.DisagreementMatrix(finalLogits);
        Assert.Equal(finalDisagreement, study.FinalDisagreement);
        Assert.Equal(TrajectorySummary.Of(study.WeightCosine, study.Disagreement, finalDisagreement, 2, 3), study.Summary);
        Assert.Equal(TrajectoryEmbedding.Of(runs, 3).Result.Embedding, study.Tsne.Result.Embedding);
        Assert.Equal(TsneStartSpread.SecondHalf(runs, 3, randomStarts: 2).Shares, study.TsneStarts.Shares);
        Assert.Equal(DiversityMetric.AccuracyBySize(finalLogits, test.Targets, CombinationRule.MeanProbabilities, orderings: 3, seed: 0), study.AccuracyBySize);
        var confusions = DiversityMetric.MemberConfusionMatrices(finalLogits, test.Targets);
        Assert.Equal(confusions, study.FinalConfusions);
        Assert.Equal(DiversityMetric.ConfusionDifference(confusions[0], confusions[1]).Difference, study.FirstTwoRunsConfusion.Difference);
        // every image is counted once per run
        Assert.All(study.FinalConfusions, c => Assert.Equal(6, c.Cast<long>().Sum()));
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void IsDeterministicLeavesNoTensorsAndRefusesBadInput()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        using var test = SixPoints();
        TrajectoryStudy.Of(runs, test, 3, sizeOrderings: 2, tsneRandomStarts: 1);   // warm-up: first-use allocations
        long before = TestSupport.LiveTensorCount();
        var first = TrajectoryStudy.Of(runs, test, 3, sizeOrderings: 2, tsneRandomStarts: 1);
        Assert.Equal(before, TestSupport.LiveTensorCount());
        var second = TrajectoryStudy.Of(runs, test, 3, sizeOrderings: 2, tsneRandomStarts: 1);
        Assert.Equal(first.Tsne.Result.Embedding, second.Tsne.Result.Embedding);
        Assert.Equal(first.AccuracyBySize, second.AccuracyBySize);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => TrajectoryStudy.Of([runs[0]], test, 3)).Message);
        Assert.Throws<ArgumentNullException>(() => TrajectoryStudy.Of(null!, test, 3));
        Assert.Throws<ArgumentNullException>(() => TrajectoryStudy.Of(runs, null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryStudy.Of(runs, test, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryStudy.Of(runs, test, 3, sizeOrderings: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryStudy.Of(runs, test, 3, tsneRandomStarts: -1));
        foreach (var run in runs) run.Model.Dispose();
    }
}
