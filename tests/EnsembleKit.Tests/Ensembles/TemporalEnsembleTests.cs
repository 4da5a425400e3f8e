using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

public class TemporalEnsembleTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 4, BatchSize = 50, Progress = ProgressSinks.None, LearningRate = 0.05 };

    static Mlp Small() => new([(784, 24), (24, 10)]);

    [Fact]
    public void SnapshotEnsembleTakesOneSnapshotPerCycleEnd()
    {
        using var train = TestSupport.FashionMnistSubset(true, 400);
        using var test = TestSupport.FashionMnistSubset(false, 100);
        manual_seed(0);
        using var model = Small();
        using var snapshots = SnapshotEnsemble.Train(model, train, Quick, cycles: 2);
        Assert.Equal([1, 3], snapshots.Snapshots.Select(s => s.Epoch));
        using var logits = snapshots.MemberLogits(Small, test);
        Assert.Equal(new long[] { 2, 100, 10 }, logits.shape);
        // the last snapshot is the trained model itself
        using var direct = Predict.Logits(model, test);
        Assert.True(logits[1].allclose(direct, rtol: 0, atol: 0));
        // the schedule restarted: the first epoch of cycle 2 begins at the base rate
        Assert.Equal(0.05, snapshots.History.Epochs[2].LearningRate, 12);
        Assert.Throws<ArgumentException>(() => SnapshotEnsemble.Train(Small(), train, Quick, cycles: 3));
    }

    [Fact]
    public void FastGeometricEnsembleCollectsAtMidCycle()
    {
        using var train = TestSupport.FashionMnistSubset(true, 400);
        manual_seed(0);
        using var model = Small();
        using var fge = FastGeometricEnsemble.Train(model, train, Quick, members: 3, cycleEpochs: 2, highRate: 0.05, lowRate: 0.005);
        Assert.Equal([0, 2, 4], fge.Snapshots.Select(s => s.Epoch));
        Assert.Equal(5, fge.History.Epochs.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => FastGeometricEnsemble.Train(Small(), train, Quick, 2, cycleEpochs: 3, 0.05, 0.005));
    }

    [Fact]
    public void SwaAveragesTheCollectedEpochs()
    {
        using var train = TestSupport.FashionMnistSubset(true, 300);
        manual_seed(0);
        using var model = Small();
        var options = Quick with { Epochs = 4, Callbacks = [] };
        var recorder = new SnapshotCallback((epoch, _) => epoch >= 2);
        var result = Swa.Train(model, Small, train, options with { Callbacks = [recorder] }, new SwaSchedule(0.01, SwaStartFraction: 0.5));
        using var averaged = result.Averaged;
        Assert.Equal(2, result.AveragedEpochs);
        // the SWA weights are the mean of the epoch-3 and epoch-4 weights
        var snaps = recorder.TakeSnapshots();
        foreach (var (name, p) in averaged.named_parameters())
        {
            using var expected = (snaps[0].State[name] + snaps[1].State[name]) / 2;
            Assert.True(p.allclose(expected, rtol: 1e-5, atol: 1e-6), name);
        }
        foreach (var s in snaps) s.Dispose();
    }

    sealed class CountLiveTensors : ITrainingCallback
    {
        public List<long> Counts { get; } = [];
        public void OnEpochEnd(TrainingContext context) => Counts.Add(Tensor.TotalCount);
    }

    [Fact]
    public void SwaAveragingLeavesNoTensorsAnEpoch()
    {
        // The running average is updated after the counter each epoch; before it ran in a scope, each averaged epoch
        // left a detached and a host copy of every parameter for the finaliser.
        using var train = TestSupport.FashionMnistSubset(true, 200);
        manual_seed(0);
        using var model = Small();
        var counter = new CountLiveTensors();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var result = Swa.Train(model, Small, train, Quick with { Epochs = 6, Callbacks = [counter] }, new SwaSchedule(0.01, SwaStartFraction: 0.25));
        using var averaged = result.Averaged;
        Assert.Equal(4, result.AveragedEpochs);   // epochs 3-6
        // Epoch 4's count (index 3) holds the average begun at the end of epoch 3; from there on it must stay flat.
        Assert.Equal(6, counter.Counts.Count);
        Assert.All(counter.Counts.Skip(4), c => Assert.Equal(counter.Counts[3], c));
    }

    [Fact]
    public void BatchNormStatisticsAreRecomputedAsThePlainAverage()
    {
        manual_seed(0);
        using var model = nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3));
        using var x = randn(200, 3) * 3 + 1;
        using var y = zeros(200, dtype: ScalarType.Int64);
        using var data = new TensorDataset(x.clone(), y.clone(), 2);
        Assert.True(BatchNormRecalibration.Recompute(model, data, batchSize: 50));
        var bn = BatchNormRecalibration.Layers(model).Single();
        using var hidden = model[0].call(x);
        Assert.True(bn.running_mean!.allclose(hidden.mean([0L]), rtol: 1e-4, atol: 1e-5));
        Assert.Equal(0.1, bn.momentum); // restored
        using var plain = Small();
        Assert.False(BatchNormRecalibration.Recompute(plain, data));
    }

    [Fact]
    public void McDropoutPassesDifferAndRepeatPerSeed()
    {
        using var test = TestSupport.FashionMnistSubset(false, 50);
        manual_seed(0);
        using var model = new Mlp([(784, 32), (32, 10)], dropoutRate: 0.5);
        model.eval();
        using var a = McDropout.SampleLogits(model, test, samples: 3, seed: 7);
        using var b = McDropout.SampleLogits(model, test, samples: 3, seed: 7);
        Assert.Equal(new long[] { 3, 50, 10 }, a.shape);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a[0].allclose(a[1]));
        Assert.False(model.training); // mode restored
        Assert.All(McDropout.DropoutLayers(model), l => Assert.False(l.training));
        using var noDropout = Small();
        Assert.Throws<ArgumentException>(() => McDropout.SampleLogits(noDropout, test, 2));
    }
}
