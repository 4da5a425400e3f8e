using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="MaskAndTuningGrid"/>: rows come in tuning-then-R/NP order, each is the steps notebook 16 used to write out
/// by hand, the parent is left alone, and bad input is refused before any training.
/// </summary>
public class MaskAndTuningGridTests
{
    static readonly TrainingOptions Sgd = new() { Epochs = 1, BatchSize = 50, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 0, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None };


    [Fact]
    public void EachRowIsTheNotebooksStepsWrittenOut()
    {
        using var train = TestSupport.FashionMnistImages(train: true, 200);
        using var test = TestSupport.FashionMnistImages(train: false, 100);
        var create = ModelRegistry.Factory("lenet-s", 10, ModelOptions.Mnist);
        manual_seed(0);
        using var parent = create();
        Trainer.Train(parent, train, Sgd with { Seed = 0 });
        var before = parent.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var lines = new List<string>();

        var rows = MaskAndTuningGrid.Run(parent, create, train, test, [("FT", Sgd), ("slow", Sgd with { LearningRate = 0.001 })], children: 2, log: lines.Add);

        Assert.Equal([("R", "FT"), ("NP", "FT"), ("R", "slow"), ("NP", "slow")], rows.Select(r => (r.Masks, r.Tuning)));
        Assert.Equal(4, lines.Count);
        Assert.Equal($"NP + slow: ensemble {rows[3].Ensemble:F2} %, mean child {rows[3].MeanChild:F2} %", lines[3]);
        Assert.Equal(before, parent.parameters().SelectMany(p => p.data<float>().ToArray()));

        using var ensemble = SparseSubnetworkEnsemble.Train(parent, create, train, new SparseSubnetworkOptions
        {
            Children = 2,
            Sampling = SubnetworkSampling.NeuralPartitioning,
            Partitions = 2,
            Mask = new MaskOptions { Sparsity = 0.5 },
            Tuning = Sgd with { LearningRate = 0.001, Seed = 11 },
            Seed = 11,
        });
        var report = EnsembleEvaluation.Evaluate(ensemble, test);
        Assert.Equal(report.Members.Average(m => m.Accuracy) * 100, rows[3].MeanChild);
        Assert.Equal(report.Ensemble.Accuracy * 100, rows[3].Ensemble);
        Assert.Equal(report.Ensemble.Nll, rows[3].Nll);
    }

    [Fact]
    public void RefusesBadInputBeforeTraining()
    {
        using var data = TestSupport.FashionMnistImages(train: true, 10);
        var create = ModelRegistry.Factory("lenet-s", 10, ModelOptions.Mnist);
        using var parent = create();
        Assert.Throws<ArgumentException>(() => MaskAndTuningGrid.Run(parent, create, data, data, [], 2));
        Assert.Throws<ArgumentException>(() => MaskAndTuningGrid.Run(parent, create, data, data, [("", Sgd)], 2));
        Assert.Contains("even", Assert.Throws<ArgumentException>(() => MaskAndTuningGrid.Run(parent, create, data, data, [("FT", Sgd)], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskAndTuningGrid.Run(parent, create, data, data, [("FT", Sgd)], 2, sparsity: 1.0));
    }
}
