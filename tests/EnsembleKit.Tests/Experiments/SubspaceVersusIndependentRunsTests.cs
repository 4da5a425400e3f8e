using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class SubspaceVersusIndependentRunsTests
{
    /// <summary>Three runs of a 4-6-3 MLP, 4 epochs on 90 random points (a class a cluster), recorded every epoch.</summary>
    static (IReadOnlyList<TrajectoryRun> Runs, TensorDataset Test) ThreeRuns()
    {
        manual_seed(7);
        var targets = arange(90, dtype: ScalarType.Int64).remainder(3);
        var features = randn(90, 4) + nn.functional.one_hot(targets, 4).to(ScalarType.Float32) * 2;
        var data = new TensorDataset(features, targets, 3, "three clusters");
        var runs = TrajectoryRun.Train(() => new Mlp([(4, 6), (6, 3)]), data, data, new TrainingOptions { Epochs = 4, BatchSize = 30, LearningRate = 0.1 }, count: 3);
        return (runs, data);
    }

    [Fact]
    public void SamplesAsTheStepsWrittenOutDo()
    {
        var (runs, test) = ThreeRuns();
        var study = SubspaceVersusIndependentRuns.Run(runs, test, epochs: 4, samplesPerSetting: 2);

        // The steps as notebook 08 wrote them before the runner existed.
        var theta = runs[0].Model;
        var iterates = runs[0].Points.Where(p => p.Epoch + 1 >= 2).Select(p => p.Weights).ToList();
        var samples = new List<WeightSample>();
        samples.AddRange(SubspaceSampling.RandomDirections(theta, new RandomSubspaceOptions { IncludeBiases = false, DirectionsPerScale = 2, Seed = 1 }));
        samples.AddRange(SubspaceSampling.DropoutMasks(theta, new DropoutSubspaceOptions { SamplesPerProbability = 2, Seed = 2 }));
        samples.AddRange(SubspaceSampling.DiagonalGaussian(iterates, new GaussianSubspaceOptions { Scales = [1.0, 2.0, 4.0], SamplesPerScale = 2, Seed = 3 }));
        samples.AddRange(SubspaceSampling.LowRankGaussian(iterates, new GaussianSubspaceOptions { Scales = [1.0, 2.0, 4.0], SamplesPerScale = 2, Rank = 5, Seed = 4 }));
        var expected = SubspaceSampling.Evaluate(theta, samples, test, includeBiases: false);

        Assert.Equal(4 * 2 + 4 * 2 + 3 * 2 + 3 * 2, study.Sampling.Samples.Count);
        Assert.Equal(expected.BaseAccuracy, study.Sampling.BaseAccuracy);
        Assert.Equal(expected.Samples.Select(s => (s.Method, s.Scale, s.Accuracy, s.DisagreementWithBase)),
            study.Sampling.Samples.Select(s => (s.Method, s.Scale, s.Accuracy, s.DisagreementWithBase)));
        Assert.Equal(runs.Skip(1).Select(r => (DiversityMetric.Disagreement(r.Points[^1].Predictions, expected.BasePredictions), r.Points[^1].Accuracy)),
            study.IndependentRuns);
        // θ* is left as it was
        Assert.Equal(runs[0].Points[^1].Weights, ParameterVector.Flatten(theta, includeBiases: false));
        foreach (var run in runs) run.Model.Dispose();
        test.Dispose();
    }

    [Fact]
    public void FindsTheSamplesNearThetaAndThoseThatRivalARun()
    {
        var study = HandMade.Subspace();
        Assert.Equal([0.895, 0.91, 0.892], study.NearBase().Select(s => s.Accuracy));          // within 1 point below 90 %
        Assert.Equal([0.91], study.NearBase(points: 0).Select(s => s.Accuracy));
        var rival = Assert.Single(study.Dominating);                                            // 0.892 ≥ 0.88 and 0.11 ≥ 0.10
        Assert.Equal(0.11, rival.DisagreementWithBase);
        Assert.Equal(0.20, study.MostDiverse!.DisagreementWithBase);
        Assert.Equal(0.89, study.IndependentMeanAccuracy, 12);
        Assert.Equal(0.11, study.IndependentMeanDisagreement, 12);
    }

    [Fact]
    public void RefusesBadInput()
    {
        var (runs, test) = ThreeRuns();
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => SubspaceVersusIndependentRuns.Run([runs[0]], test, 4, 1)).Message);
        Assert.Throws<ArgumentNullException>(() => SubspaceVersusIndependentRuns.Run(null!, test, 4, 1));
        Assert.Throws<ArgumentNullException>(() => SubspaceVersusIndependentRuns.Run(runs, null!, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubspaceVersusIndependentRuns.Run(runs, test, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubspaceVersusIndependentRuns.Run(runs, test, 4, 0));
        foreach (var run in runs) run.Model.Dispose();
        test.Dispose();
    }
}
