using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

public class TrainerTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 2, BatchSize = 64, Progress = ProgressSinks.None };

    static double TrainAndScore(TensorDataset train, TensorDataset test, long seed)
    {
        using var ensemble = DeepEnsemble.Train(() => new Mlp([(784, 64), (64, 10)]), train, Quick, count: 2, seed: seed);
        using var logits = ensemble.MemberLogits(test);
        using var first = logits[0];
        return Metric.Accuracy(first, test.Targets) + 10 * Metric.Accuracy(logits.mean([0]), test.Targets);
    }

    [Fact]
    public void SameSeedSameNumbers()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 2000);
        using var test = TestSupport.FashionMnistSubset(train: false, 1000);
        double a = TrainAndScore(train, test, seed: 5);
        double b = TrainAndScore(train, test, seed: 5);
        double c = TrainAndScore(train, test, seed: 6);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    sealed class CountLiveTensors : ITrainingCallback
    {
        public List<long> Counts { get; } = [];
        public void OnEpochEnd(TrainingContext context) => Counts.Add(Tensor.TotalCount);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOver1000Steps()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 1000);
        var counter = new CountLiveTensors();
        using var model = new Mlp([(784, 32), (32, 10)]);
        // 1000 rows / batch 10 = 100 steps an epoch; 10 epochs = 1000 steps
        var options = Quick with { Epochs = 10, BatchSize = 10, Callbacks = [counter] };
        // Finalise other tests' garbage first, so that only this run can change the count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        new Trainer(options).Fit(model, train);
        Assert.Equal(10, counter.Counts.Count);
        Assert.All(counter.Counts.Skip(1), c => Assert.Equal(counter.Counts[0], c));
    }

    [Fact]
    public void CheckpointResumeGivesTheSameModel()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 500);
        using var temp = new TempFolder();
        var path = temp.File("run.ckpt");

        manual_seed(1);
        using var uninterrupted = new Mlp([(784, 16), (16, 10)]);
        var full = new Trainer(Quick with { Epochs = 3, Seed = 1 }).Fit(uninterrupted, train);

        // same run stopped after 2 of 3 epochs, then continued by a fresh trainer and a fresh model object
        manual_seed(1);
        using var firstHalf = new Mlp([(784, 16), (16, 10)]);
        var stopped = new Trainer(Quick with { Epochs = 3, Seed = 1, CheckpointPath = path, Callbacks = [new StopAfter(2)] });
        Assert.Throws<OperationCanceledException>(() => stopped.Fit(firstHalf, train));
        manual_seed(99); // a different initialisation, which the checkpoint must overwrite
        using var resumedModel = new Mlp([(784, 16), (16, 10)]);
        var resumed = new Trainer(Quick with { Epochs = 3, Seed = 1, CheckpointPath = path }).Fit(resumedModel, train);

        Assert.Equal(full.Epochs.Select(e => e.Loss), resumed.Epochs.Select(e => e.Loss));
        foreach (var (a, b) in uninterrupted.parameters().Zip(resumedModel.parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 0));
    }

    sealed class StopAfter(int epochs) : ITrainingCallback
    {
        // A simulated crash does not change what training computes, so the resumed run (without it) may use the checkpoint.
        public bool ChangesTraining => false;

        public void OnEpochEnd(TrainingContext context)
        {
            if (context.Epoch + 1 == epochs) throw new OperationCanceledException("simulated crash");
        }
    }

    [Fact]
    public void CosineScheduleFollowsItsFormula()
    {
        var s = new CosineAnnealingSchedule();
        Assert.Equal(0.1, s.Rate(0, 20, 0.1), 15);
        Assert.Equal(0.05, s.Rate(10, 20, 0.1), 15);
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 19 / 20)) / 2, s.Rate(19, 20, 0.1), 15);
        Assert.Equal(0.01 + 0.09 * 0.5, new CosineAnnealingSchedule(0.01).Rate(5, 10, 0.1), 15);
    }

    [Fact]
    public void HistoryRecordsEveryEpoch()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var model = new Mlp([(784, 8), (8, 10)]);
        var history = new Trainer(Quick with { Epochs = 3 }).Fit(model, train);
        Assert.Equal([0, 1, 2], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(0.1, history.Epochs[0].LearningRate, 15);
        Assert.All(history.Epochs, e => Assert.True(e.Loss > 0 && e.Seconds > 0));
        var roundTrip = TrainingHistory.FromCsv("x", history.ToCsv());
        Assert.Equal(history.Epochs, roundTrip.Epochs);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { LearningRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { Momentum = 1.5 }));
        // NaN fails every comparison, so each bound is written to refuse it, and infinities too.
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { Momentum = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { WeightDecay = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { WeightDecay = double.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { LearningRate = double.PositiveInfinity }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Quick with { LearningRate = double.NaN }));
    }

    [Fact]
    public void AnEmptyTrainingSetIsRefusedUpFront()
    {
        // Without the check an epoch of no steps reports a 0/0 loss, read as divergence ("lower the learning rate").
        using var empty = new TensorDataset(zeros(0, 4), zeros(0, dtype: ScalarType.Int64), 3, "nothing");
        var model = new Mlp([(4, 3)]);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Train(model, empty, Quick));
        Assert.Equal("nothing is empty: there is nothing to train on. (Parameter 'data')", e.Message);
        var lockstep = new LockstepTrainer(Quick);
        e = Assert.Throws<ArgumentException>(() => lockstep.Fit([new Mlp([(4, 3)]), new Mlp([(4, 3)])], empty));
        Assert.StartsWith("nothing is empty", e.Message);
        Assert.Throws<ArgumentException>(() => Predict.Logits(model, empty));
    }

    [Fact]
    public void PredictionRefusesABatchSizeBelowOne()
    {
        // A batch size of 0 never advanced the loop: it gathered empty batches until memory ran out.
        using var data = new TensorDataset(randn(5, 4), zeros(5, dtype: ScalarType.Int64), 3);
        var model = new Mlp([(4, 3)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Predict.Logits(model, data, batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Predict.Logits(model, data, batchSize: -2));
        var dropout = new Mlp([(4, 8), (8, 3)], dropoutRate: 0.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => McDropout.SampleLogits(dropout, data, samples: 2, batchSize: 0));
    }

    [Fact]
    public void StaticTrainEqualsBuildingATrainerBitForBit()
    {
        using var data = SpiralDataset.Generate(40, 2, noise: 0.05, seed: 4);
        // Dropout makes the comparison see the per-epoch dropout seed as well as the batch order.
        Mlp Create() { manual_seed(7); return new Mlp([(2, 16), (16, 2)], dropoutRate: 0.2); }
        using var built = Create();
        using var helped = Create();
        using var untrained = Create();
        var options = Quick with { Epochs = 3, BatchSize = 16, Seed = 3, LearningRate = 0.05 };
        var expected = new Trainer(options).Fit(built, data);
        var actual = Trainer.Train(helped, data, options);
        Assert.Equal(expected.Epochs.Select(e => e.Loss), actual.Epochs.Select(e => e.Loss));
        Assert.Equal(options.Label, actual.Label);
        foreach (var (name, p) in built.named_parameters())
        {
            var want = p.detach().flatten().data<float>().ToArray();
            Assert.Equal(want, helped.get_parameter(name)!.detach().flatten().data<float>().ToArray());
            Assert.NotEqual(want, untrained.get_parameter(name)!.detach().flatten().data<float>().ToArray());   // it did train
        }
    }
}
