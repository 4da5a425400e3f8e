using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.MultiView;

/// <summary>
/// <see cref="MultiViewComparison.Run"/> gives the rows of its steps written out one by one (as notebook 04 wrote them
/// before the runner existed), refuses bad settings, and leaves no network behind.
/// </summary>
public class MultiViewComparisonTests
{
    static readonly MultiViewOptions Data = new() { Classes = 3, Dimension = 12, Patches = 4, PatchesPerView = 1, SingleViewFraction = 0.3 };

    static readonly MultiViewComparisonOptions Options = new()
    {
        Models = 2,
        Training = new TrainingOptions { Epochs = 3, BatchSize = 20, LearningRate = 1.0, Momentum = 0, WeightDecay = 0, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None },
        Distillation = new DistillationOptions { Alpha = 0.5, Temperature = 3, UseTemperatureSquared = false },
    };

    static double Percent(Tensor logits, Tensor targets) => Math.Round(Metric.Accuracy(logits, targets) * 100, 2);

    static PatchNetwork Fresh(long seed)
    {
        manual_seed(seed);
        return new PatchNetwork(12, 3, 4, 1.0);
    }

    [Fact]
    public void RowsEqualTheStepsWrittenOut()
    {
        var (train, test) = MultiViewData.Generate(Data, trainCount: 80, testCount: 60, seed: 2);
        using var _train = train;
        using var _test = test;
        var rows = MultiViewComparison.Run("mv", train, test, Options);

        Assert.Equal(["single model (mean of 2)", "ensemble of 2", "sum of 2 trained jointly", "knowledge distillation from the ensemble", "self-distillation from model 1"],
            rows.Select(r => r.Method));
        Assert.All(rows, r => Assert.Equal("mv", r.Data));

        var training = Options.Training;
        using var ensemble = DeepEnsemble.Train(() => new PatchNetwork(12, 3, 4, 1.0), train.Data, training, 2, CombinationRule.MeanProbabilities, seed: 10);
        using var ensembleLogits = Predict.Logits(ensemble, test.Data);
        Assert.Equal(Percent(ensembleLogits, test.Data.Targets), rows[1].TestAccuracy);
        var memberTest = ensemble.Members.Select(m => { using var l = Predict.Logits(m, test.Data); return Percent(l, test.Data.Targets); }).ToList();
        Assert.Equal(Math.Round(memberTest.Average(), 2), rows[0].TestAccuracy);

        // single-view accuracy: the test samples with one view only
        var single = test.MultiView.Select((multi, i) => (multi, i)).Where(t => !t.multi).Select(t => (long)t.i).ToArray();
        Assert.NotEmpty(single);
        using (var index = tensor(single))
        using (var logits = ensembleLogits.index_select(0, index))
        using (var targets = test.Data.Targets.index_select(0, index))
            Assert.Equal(Percent(logits, targets), rows[1].SingleViewAccuracy);

        using var sum = new SumOfMembers([Fresh(50), Fresh(51)]);
        Trainer.Train(sum, train.Data, training with { Seed = 50 });
        using (var sumTrain = Predict.Logits(sum, train.Data)) Assert.Equal(Percent(sumTrain, train.Data.Targets), rows[2].TrainAccuracy);

        using var kd = Fresh(100);
        KnowledgeDistillation.Train(kd, ensemble, train.Data, training with { Seed = 100 }, Options.Distillation);
        using (var kdTest = Predict.Logits(kd, test.Data)) Assert.Equal(Percent(kdTest, test.Data.Targets), rows[3].TestAccuracy);

        using var self = Fresh(101);
        KnowledgeDistillation.Train(self, ensemble.Members[0], train.Data, training with { Seed = 101 }, Options.Distillation);
        using (var selfTest = Predict.Logits(self, test.Data)) Assert.Equal(Percent(selfTest, test.Data.Targets), rows[4].TestAccuracy);
    }

    [Fact]
    public void SingleViewAccuracyIsNaNWithoutSuchSamplesAndTheTestAccuracyOnGaussianData()
    {
        var (train, test) = MultiViewData.Generate(Data with { SingleViewFraction = 0 }, trainCount: 40, testCount: 30, seed: 1);
        using (train)
        using (test)
        {
            Assert.All(test.MultiView, Assert.True);
            var rows = MultiViewComparison.Run("all multi-view", train, test, Options with { Models = 1 });
            Assert.Equal(5, rows.Count);
            Assert.All(rows, r => Assert.True(double.IsNaN(r.SingleViewAccuracy)));
        }
        // The Gaussian control marks no sample multi-view, so every test sample counts as single-view.
        var (gaussTrain, gaussTest) = MultiViewData.Generate(Data with { GaussianControl = true }, trainCount: 40, testCount: 30, seed: 1);
        using (gaussTrain)
        using (gaussTest)
        {
            var rows = MultiViewComparison.Run("gauss", gaussTrain, gaussTest, Options with { Models = 1 });
            Assert.All(rows, r => Assert.Equal(r.TestAccuracy, r.SingleViewAccuracy));
        }
    }

    [Fact]
    public void BadSettingsAreRefusedBeforeTraining()
    {
        var (train, test) = MultiViewData.Generate(Data, trainCount: 20, testCount: 10, seed: 1);
        using var _train = train;
        using var _test = test;
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewComparison.Run("x", train, test, Options with { Models = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewComparison.Run("x", train, test, Options with { Rho = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewComparison.Run("x", train, test, Options with { NeuronsPerClass = 0 }));
        Assert.Throws<ArgumentNullException>(() => MultiViewComparison.Run("x", null!, test, Options));
    }
}
