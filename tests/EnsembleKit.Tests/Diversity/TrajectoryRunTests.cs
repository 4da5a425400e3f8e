using EnsembleKit.Diversity;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Diversity;

public sealed class TrajectoryRunTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 2, BatchSize = 50, Progress = ProgressSinks.None };

    static nn.Module<Tensor, Tensor> Tiny() => new Mlp([(784, 8), (8, 10)]);

    [Fact]
    public void EachRunIsTheLoopWrittenOut()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 200);
        using var test = TestSupport.FashionMnistSubset(train: false, 60);
        var runs = TrajectoryRun.Train(Tiny, train, test, Quick, count: 2, initializationSeed: 40);

        Assert.Equal(2, runs.Count);
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal([-1, 0, 1], runs[r].Points.Select(p => p.Epoch));
            // What notebook 08 did by hand: seed the initialisation, record it, train with seed r and the recorder.
            manual_seed(40 + r);
            using var model = Tiny();
            var recorder = TrajectoryRecorder.EveryEpoch(test);
            recorder.Record(model, -1);
            Trainer.Train(model, train, Quick with { Seed = r, Callbacks = [recorder] });
            Assert.Equal(recorder.Points.Select(p => p.Weights), runs[r].Points.Select(p => p.Weights));
            Assert.Equal(recorder.Points.Select(p => p.Predictions), runs[r].Points.Select(p => p.Predictions));
            Assert.Equal(ParameterVector.Flatten(model), ParameterVector.Flatten(runs[r].Model));
        }
        Assert.NotEqual(runs[0].Points[0].Weights, runs[1].Points[0].Weights);   // different initialisations
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void CheckpointsAndLabelsGoRunByRun()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 100);
        using var test = TestSupport.FashionMnistSubset(train: false, 30);
        var runs = TrajectoryRun.Train(Tiny, train, test, Quick with { Epochs = 1 }, count: 2);
        Assert.Equal(runs[0].Points.Concat(runs[1].Points), TrajectoryRun.Checkpoints(runs));
        Assert.Equal(["r1 e0", "r1 e1", "r2 e0", "r2 e1"], TrajectoryRun.CheckpointLabels(runs));
        Assert.Equal(["run 1", "run 1", "run 2", "run 2"], TrajectoryRun.RunLabels(runs));
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void RefusesBadArguments()
    {
        using var data = TestSupport.FashionMnistSubset(train: false, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryRun.Train(Tiny, data, data, Quick, count: 0));
        Assert.Throws<ArgumentNullException>(() => TrajectoryRun.Train(null!, data, data, Quick, count: 1));
    }
}
