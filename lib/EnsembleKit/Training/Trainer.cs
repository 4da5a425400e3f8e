using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// Trains any <c>Module&lt;Tensor, Tensor&gt;</c> that maps inputs to logits: mini-batch SGD (or Adam)
/// with a learning-rate schedule, a pluggable loss, per-epoch history, progress, seeded batch order,
/// and optional atomic checkpoints that let a killed run resume (only a run with the same settings, from an intact
/// file: see <see cref="Checkpoint"/>). Each step runs in its own dispose scope,
/// so native memory stays flat however long the run.
/// </summary>
public sealed class Trainer
{
    public TrainingOptions Options { get; }

    public Trainer(TrainingOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="data"/> with <paramref name="options"/> and returns its
    /// history: exactly <c>new Trainer(options).Fit(model, data)</c>, as one call for a model built elsewhere (a
    /// <c>PermAvg</c> over trained members, a widened child, a model whose history keeps its own label). Notebooks train
    /// through this or a method's own entry point (<see cref="Ensembles.DeepEnsemble.TrainMember{TModel}"/>, ...) and build no
    /// trainer themselves (notebooks/README.md).
    /// </summary>
    public static TrainingHistory Train(nn.Module<Tensor, Tensor> model, TensorDataset data, TrainingOptions options) =>
        new Trainer(options).Fit(model, data);

    /// <summary>Trains <paramref name="model"/> in place on <paramref name="data"/> and returns its history.</summary>
    public TrainingHistory Fit(nn.Module<Tensor, Tensor> model, TensorDataset data)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(model);
        RequireSamples(data);
        var o = Options;
        var device = data.Inputs.device;
        model.to(device);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0) throw new ArgumentException("the model has no trainable parameters.", nameof(model));
        using var optimizer = CreateOptimizer(o, parameters);
        var history = new TrainingHistory(o.Label);
        int startEpoch = 0;
        // Fingerprinted before a checkpoint is loaded: a run resumes only from one written with the same settings.
        var settings = o.CheckpointPath is null ? null : RunFingerprint.Of(o, model, data);
        if (settings is not null && Checkpoint.Exists(o.CheckpointPath!))
            startEpoch = Checkpoint.Load(o.CheckpointPath!, settings, model, optimizer, history);
        if (startEpoch > 0)
        {
            var resumed = new TrainingContext(model, startEpoch, o.Epochs, history);
            foreach (var callback in o.Callbacks) callback.OnResume(resumed);
        }

        var loader = new BatchLoader(data, o.BatchSize, shuffle: true);
        int steps = loader.BatchCount;
        for (int epoch = startEpoch; epoch < o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            // Batch order and dropout are seeded per epoch, so a resumed run continues exactly.
            // CPU generators: the kit draws on the CPU and copies to the device (SeededDraws), so a seed means the same on every device.
            using var generator = new Generator((ulong)EpochSeed(o.Seed, epoch));
            using var augmentGenerator = o.Augment is null ? null : new Generator((ulong)(EpochSeed(o.Seed, epoch) ^ AugmentSeedSalt));
            manual_seed(EpochSeed(o.Seed, epoch) ^ DropoutSeedSalt);
            double epochRate = o.Schedule.Rate(epoch, o.Epochs, o.LearningRate);
            SetRate(optimizer, epochRate);
            model.train();
            using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
            int step = 0;
            foreach (var batch in loader.Epoch(generator))
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                if (o.Schedule.PerStep) SetRate(optimizer, o.Schedule.Rate(epoch + (double)step / steps, o.Epochs, o.LearningRate));
                optimizer.zero_grad();
                var stepBatch = o.Augment is null ? batch : batch with { Inputs = o.Augment.Apply(batch.Inputs, augmentGenerator!) };
                var logits = model.forward(o.ModelInputs(stepBatch.Inputs));
                var loss = o.Loss(logits, stepBatch);
                var stepContext = o.Callbacks.Count == 0 ? null : new TrainingContext(model, epoch, o.Epochs, history) { Step = step, StepsPerEpoch = steps };
                loss.backward();
                foreach (var callback in o.Callbacks) callback.OnBeforeStep(stepContext!);
                optimizer.step();
                foreach (var callback in o.Callbacks) callback.OnStepEnd(stepContext!);
                using (no_grad()) lossSum.add_(loss.detach());
                step++;
            }
            double meanLoss = lossSum.item<double>() / steps;
            if (double.IsNaN(meanLoss) || double.IsInfinity(meanLoss))
                throw new ArithmeticException($"{o.Label}: training loss became {meanLoss} in epoch {epoch + 1}; lower the learning rate.");
            history.Add(new EpochRecord(epoch, meanLoss, epochRate, clock.Elapsed.TotalSeconds));
            // The callbacks before the checkpoint: a run stopped between the two redoes the epoch, so a callback that
            // saves what it gathers (SnapshotCallback) never misses an epoch the checkpoint holds.
            var context = new TrainingContext(model, epoch, o.Epochs, history);
            foreach (var callback in o.Callbacks) callback.OnEpochEnd(context);
            if (settings is not null) Checkpoint.Save(o.CheckpointPath!, settings, model, optimizer, history, epoch + 1);
            o.Progress.Report(new ProgressUpdate(o.Label, epoch + 1, o.Epochs,
                $"epoch {epoch + 1}: loss {meanLoss:F4}, lr {epochRate:G3}, {clock.Elapsed.TotalSeconds:F1}s", epoch + 1 == o.Epochs));
        }
        model.eval();
        return history;
    }

    /// <summary>A per-epoch seed that differs across epochs and base seeds.</summary>
    /// <summary>Refuses an empty training set up front (an epoch of no steps would report a 0/0 loss as divergence).</summary>
    internal static void RequireSamples(TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException($"{data.Name} is empty: there is nothing to train on.", nameof(data));
    }

    internal static long EpochSeed(long seed, int epoch) => SeedMix.Of(seed, epoch);

    /// <summary>Separates the augmentation stream from the batch-order stream of the same epoch.</summary>
    internal const long AugmentSeedSalt = 0x4175676D656E74L;

    /// <summary>Separates the dropout stream from the batch-order stream of the same epoch.</summary>
    internal const long DropoutSeedSalt = 0x5DEECE66DL;

    /// <summary>The optimiser <paramref name="o"/> asks for (shared with the lockstep trainer, which must match it exactly).</summary>
    internal static TorchSharp.Modules.OptimizerHelper CreateOptimizer(TrainingOptions o, IList<TorchSharp.Modules.Parameter> parameters) => o.Optimizer switch
    {
        OptimizerKind.Sgd => new Optimizers.SGD(parameters, o.LearningRate, o.Momentum, o.WeightDecay, o.Nesterov),
        OptimizerKind.Adam => new Optimizers.Adam(parameters, o.LearningRate, o.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(o.Optimizer)),
    };

    internal static void SetRate(TorchSharp.Modules.OptimizerHelper optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
