using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="ParentSizeSweep"/>: each row is the steps notebook 15 used to write out by hand (the numbers its committed
/// run shows depend on that), rows come in architecture-then-sparsity order, the share kept is computed by hand, and bad
/// input is refused before any training.
/// </summary>
public class ParentSizeSweepTests
{
    static readonly TrainingOptions Adam = new() { Epochs = 1, Optimizer = OptimizerKind.Adam, LearningRate = 0.001, WeightDecay = 0, BatchSize = 50, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None };


    [Fact]
    public void EachRowIsTheNotebooksStepsWrittenOut()
    {
        using var train = TestSupport.FashionMnistImages(train: true, 200);
        using var test = TestSupport.FashionMnistImages(train: false, 100);
        var lines = new List<string>();
        var rows = ParentSizeSweep.Run(["lenet-s"], [0.3, 0.7], children: 2, train, test, Adam, Adam, ModelOptions.Mnist, lines.Add);

        Assert.Equal([("lenet-s", 0.3), ("lenet-s", 0.7)], rows.Select(r => (r.Parent, r.Sparsity)));
        var line = Assert.Single(lines);
        Assert.StartsWith("lenet-s: parent ", line);

        // The same steps by hand.
        var create = ModelRegistry.Factory("lenet-s", 10, ModelOptions.Mnist);
        manual_seed(0);
        using var parent = create();
        Trainer.Train(parent, train, Adam with { Seed = 0, Label = "lenet-s" });
        double parentAccuracy = Predict.Accuracy(parent, test) * 100;
        Assert.Equal(parentAccuracy, rows[0].ParentAccuracy);
        Assert.Equal(ModelRegistry.ParameterCount(parent), rows[0].Parameters);
        using var ensemble = SparseSubnetworkEnsemble.Train(parent, create, train, new SparseSubnetworkOptions
        {
            Children = 2,
            Sampling = SubnetworkSampling.Random,
            Mask = new MaskOptions { Sparsity = 0.7 },
            Tuning = Adam with { Seed = 7 },
            Seed = 7,
        });
        using var logits = ensemble.MemberLogits(test);
        Assert.Equal(Enumerable.Range(0, 2).Average(m => Metric.Accuracy(logits[m], test.Targets)) * 100, rows[1].MeanChild);
        Assert.Equal(Metric.Accuracy(Combine.Probabilities(logits, CombinationRule.MeanProbabilities).log(), test.Targets) * 100, rows[1].Ensemble);
        Assert.Equal(10, rows[1].ChancePercent);
    }

    [Fact]
    public void TheShareKeptIsMeasuredAboveChance()
    {
        var row = new ParentSizeRow("lenet-s", 1, ParentAccuracy: 60, Sparsity: 0.5, MeanChild: 35, Ensemble: 50, ChancePercent: 10);
        Assert.Equal(0.5, row.KeptAboveChance, 12);   // (35 − 10) / (60 − 10)
    }

    [Fact]
    public void RefusesBadInputBeforeTraining()
    {
        using var data = TestSupport.FashionMnistImages(train: true, 10);
        Assert.Throws<ArgumentException>(() => ParentSizeSweep.Run([], [0.5], 2, data, data, Adam, Adam, ModelOptions.Mnist));
        Assert.Contains("no-such-net", Assert.Throws<ArgumentException>(() => ParentSizeSweep.Run(["no-such-net"], [0.5], 2, data, data, Adam, Adam, ModelOptions.Mnist)).Message);
        Assert.Throws<ArgumentException>(() => ParentSizeSweep.Run(["lenet-s"], [], 2, data, data, Adam, Adam, ModelOptions.Mnist));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParentSizeSweep.Run(["lenet-s"], [1.0], 2, data, data, Adam, Adam, ModelOptions.Mnist));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParentSizeSweep.Run(["lenet-s"], [0.5], 0, data, data, Adam, Adam, ModelOptions.Mnist));
    }
}
