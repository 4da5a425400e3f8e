using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>Tiny runs for checkpoint tests: 48 random rows of 6 features, 3 classes, an MLP 6-5-3; a run takes milliseconds.</summary>
static class CheckpointFixtures
{
    public static readonly TrainingOptions Quick = new() { Epochs = 3, BatchSize = 16, Seed = 1, Progress = ProgressSinks.None };

    /// <summary>Random data; <paramref name="seed"/> changes the content, <paramref name="rows"/> the size.</summary>
    public static TensorDataset TinyData(long rows = 48, ulong seed = 7)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        return new TensorDataset(randn([rows, 6], generator: generator), randint(0, 3, [rows], generator: generator), 3, "tiny");
    }

    /// <summary>The lockstep tests' run: 4 epochs of batch 16 (over 96 rows, 24 steps), SGD with momentum, so the optimiser state matters on resume.</summary>
    public static readonly TrainingOptions LockstepRun = Quick with { Epochs = 4 };

    /// <summary>An MLP 6-8-3 with dropout, so the per-member dropout streams must match (and resume) exactly too.</summary>
    public static Mlp DropoutMember() => new([(6, 8), (8, 3)], dropoutRate: 0.2);

    /// <summary>Stops the run, like a kill, when epoch <paramref name="epoch"/> is reported (after its checkpoint is written).</summary>
    public sealed class KillAfterEpoch(int epoch) : IProgressSink
    {
        public void Report(ProgressUpdate update)
        {
            if (update.Done == epoch) throw new OperationCanceledException($"killed after epoch {epoch}");
        }
    }

    public static Mlp TinyModel(long seed = 1, int hidden = 5)
    {
        manual_seed(seed);
        return new Mlp([(6, hidden), (hidden, 3)]);
    }

    /// <summary>Trains a fresh model with <paramref name="options"/> and the checkpoint at <paramref name="path"/>.</summary>
    public static TrainingHistory Fit(string path, TrainingOptions options, TensorDataset data, Mlp? model = null)
    {
        using var owned = model is null ? TinyModel() : null;
        return new Trainer(options with { CheckpointPath = path }).Fit(model ?? owned!, data);
    }

    /// <summary>Trains until a simulated crash after <paramref name="epochs"/> epochs, leaving their checkpoint.</summary>
    public static void FitAndCrash(string path, TrainingOptions options, TensorDataset data, int epochs)
    {
        using var model = TinyModel();
        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(options with { CheckpointPath = path, Callbacks = [.. options.Callbacks, new StopAfter(epochs)] }).Fit(model, data));
    }

    /// <summary>
    /// A simulated crash once <paramref name="epochs"/> epochs are on disk: in the first step of the next epoch (the
    /// trainer calls epoch-end callbacks before it writes that epoch's checkpoint, so a crash there would leave one less).
    /// </summary>
    public sealed class StopAfter(int epochs) : ITrainingCallback
    {
        // It does not change what training computes, so a resumed run without it may use the checkpoint.
        public bool ChangesTraining => false;

        public void OnEpochEnd(TrainingContext context) { }

        public void OnStepEnd(TrainingContext context)
        {
            if (context.Epoch == epochs) throw new OperationCanceledException("simulated crash");
        }
    }

    /// <summary>Counts the epochs it trains; a checkpoint records it only if it says it changes training.</summary>
    public sealed class EpochCounter(bool changesTraining = false) : ITrainingCallback
    {
        public bool ChangesTraining => changesTraining;
        public int Epochs { get; private set; }
        public void OnEpochEnd(TrainingContext context) => Epochs++;
    }

    public static bool SameWeights(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters()).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0));
}
