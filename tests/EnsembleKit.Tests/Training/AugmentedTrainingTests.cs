using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

public class AugmentedTrainingTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 3, BatchSize = 16, LearningRate = 0.05, Progress = ProgressSinks.None, Seed = 4 };

    static TensorDataset RandomImages(long n = 32)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(42);
        return new TensorDataset(rand([n, 3, 32, 32], generator: g), randint(0, 10, [n], generator: g), 10, "random images");
    }

    static nn.Module<Tensor, Tensor> Model(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("flat", nn.Flatten()), ("fc", nn.Linear(3072, 10)));
    }

    sealed class Recording : IBatchTransform
    {
        public int Calls;
        public Tensor Apply(Tensor inputs, Generator generator)
        {
            Calls++;
            return inputs.mul(0); // zeroed inputs: the model can then only learn the bias
        }
    }

    [Fact]
    public void TheAugmentationRunsOnEveryBatchAndTheLossSeesItsOutput()
    {
        using var data = RandomImages();
        var recording = new Recording();
        int lossCalls = 0;
        LossFunction loss = (logits, batch) =>
        {
            Assert.Equal(0f, batch.Inputs.abs().max().item<float>());
            lossCalls++;
            return nn.functional.cross_entropy(logits, batch.Targets);
        };
        using var model = Model(1);
        new Trainer(Quick with { Augment = recording, Loss = loss }).Fit(model, data);
        Assert.Equal(3 * 2, recording.Calls); // 3 epochs of 32 / 16 batches
        Assert.Equal(6, lossCalls);
    }

    [Fact]
    public void AugmentedRunsRepeatAndResumeExactly()
    {
        using var data = RandomImages();
        var augmented = Quick with { Augment = Cifar10.TrainAugmentation() };

        using var first = Model(1);
        var historyA = new Trainer(augmented).Fit(first, data);
        using var second = Model(1);
        var historyB = new Trainer(augmented).Fit(second, data);
        using var plain = Model(1);
        var historyPlain = new Trainer(Quick).Fit(plain, data);
        Assert.Equal(historyA.Epochs.Select(e => e.Loss), historyB.Epochs.Select(e => e.Loss));
        Assert.NotEqual(historyA.Epochs.Select(e => e.Loss), historyPlain.Epochs.Select(e => e.Loss));

        using var temp = new TempFolder();
        var path = temp.File("aug.ckpt");
        using var stopped = Model(1);
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(augmented with { CheckpointPath = path, Callbacks = [new StopAfter(2)] }).Fit(stopped, data));
        using var resumed = Model(99);
        var historyResumed = new Trainer(augmented with { CheckpointPath = path }).Fit(resumed, data);
        Assert.Equal(historyA.Epochs.Select(e => e.Loss), historyResumed.Epochs.Select(e => e.Loss));
        foreach (var (a, b) in first.parameters().Zip(resumed.parameters()))
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
}
