using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Subnetworks;

public sealed class AverageVersusVoteTests
{
    static readonly NoisySubnetworkOptions Options = new() { Candidates = 6, Members = 3, Seed = 4 };

    [Fact]
    public void WithoutNoiseEveryMemberIsTheParent()
    {
        using var parent = SubnetFixtures.Spiral();
        using var validation = SubnetFixtures.SpiralData(30, seed: 5);
        using var test = SubnetFixtures.SpiralData(40, seed: 6);
        var point = Assert.Single(AverageVersusVote.Sweep(parent, () => SubnetFixtures.Spiral(9), validation, test, [0.0], Options));
        // σ = 0: every child is an exact copy, so no divergence and every score is the parent's accuracy
        double parentAccuracy = Predict.Accuracy(parent, test);
        Assert.Equal(0.0, point.Sigma);
        Assert.Equal(0.0, point.MeanKl, 12);
        Assert.Equal(parentAccuracy, point.MeanMemberAccuracy, 12);
        Assert.Equal(parentAccuracy, point.AverageAccuracy, 12);
        Assert.Equal(parentAccuracy, point.VoteAccuracy, 12);
    }

    [Fact]
    public void EachStrengthIsThatStrengthsEnsembleScoredBothWays()
    {
        using var parent = SubnetFixtures.Spiral();
        using var validation = SubnetFixtures.SpiralData(30, seed: 5);
        using var test = SubnetFixtures.SpiralData(40, seed: 6);
        double[] sigmas = [0.5, 0.05];
        var points = AverageVersusVote.Sweep(parent, () => SubnetFixtures.Spiral(9), validation, test, sigmas, Options);
        Assert.Equal(sigmas, points.Select(p => p.Sigma));
        using var parentLogits = Predict.Logits(parent, test);
        for (int i = 0; i < sigmas.Length; i++)
        {
            using var ensemble = NoisySubnetworkEnsemble.Build(parent, () => SubnetFixtures.Spiral(9), validation, Options with { Sigma = sigmas[i] });
            using var logits = ensemble.MemberLogits(test);
            Assert.Equal(Enumerable.Range(0, 3).Average(m => TrustRegionSearch.MeanKl(parentLogits, logits[m])), points[i].MeanKl, 12);
            Assert.Equal(Enumerable.Range(0, 3).Average(m => Metric.Accuracy(logits[m], test.Targets)), points[i].MeanMemberAccuracy, 12);
            using var average = Combine.Probabilities(logits, CombinationRule.MeanProbabilities);
            using var vote = Combine.Probabilities(logits, CombinationRule.MajorityVote);
            Assert.Equal(Metric.Accuracy(average, test.Targets), points[i].AverageAccuracy, 12);
            Assert.Equal(Metric.Accuracy(vote, test.Targets), points[i].VoteAccuracy, 12);
        }
        // ten times the noise moves the members further from the parent
        Assert.True(points[0].MeanKl > points[1].MeanKl, $"KL at σ 0.5 {points[0].MeanKl} vs at 0.05 {points[1].MeanKl}");
    }

    [Fact]
    public void RefusesBadInputBeforeWorkAndLeavesNoTensors()
    {
        using var parent = SubnetFixtures.Spiral();
        using var validation = SubnetFixtures.SpiralData(20, seed: 5);
        using var test = SubnetFixtures.SpiralData(20, seed: 6);
        Func<EnsembleKit.Models.Mlp> create = () => SubnetFixtures.Spiral(9);
        AverageVersusVote.Sweep(parent, create, validation, test, [0.1], Options);   // warm-up: first-use allocations
        // Building a model leaves TorchSharp's empty Parameter husks in the count, so the sweep is held to what building
        // and freeing its two ensembles costs on its own: it adds no tensor of its own.
        long before = TestSupport.LiveTensorCount();
        foreach (var sigma in new[] { 0.1, 0.2 }) NoisySubnetworkEnsemble.Build(parent, create, validation, Options with { Sigma = sigma }).Dispose();
        long building = TestSupport.LiveTensorCount() - before;
        before = TestSupport.LiveTensorCount();
        AverageVersusVote.Sweep(parent, create, validation, test, [0.1, 0.2], Options);
        Assert.Equal(building, TestSupport.LiveTensorCount() - before);
        Assert.Throws<ArgumentException>(() => AverageVersusVote.Sweep(parent, create, validation, test, [], Options));
        // a bad strength anywhere in the list is refused before the first ensemble is built
        Assert.Contains("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => AverageVersusVote.Sweep(parent, create, validation, test, [0.1, -1.0], Options)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AverageVersusVote.Sweep(parent, create, validation, test, [0.1], Options with { Members = 7 }));
        Assert.Throws<ArgumentNullException>(() => AverageVersusVote.Sweep(parent, create, validation, null!, [0.1], Options));
        Assert.Throws<ArgumentNullException>(() => AverageVersusVote.Sweep(parent, create, validation, test, null!, Options));
        Assert.Throws<ArgumentNullException>(() => AverageVersusVote.Sweep(parent, create, validation, test, [0.1], null!));
    }
}
