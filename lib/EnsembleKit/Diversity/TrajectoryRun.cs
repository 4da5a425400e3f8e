using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// One of seed 001's training trajectories: the trained model and its checkpoints on a test set, the initialisation
/// first (epoch -1) then one after every epoch (<see cref="TrajectoryRecorder.EveryEpoch"/>).
/// </summary>
public sealed record TrajectoryRun(nn.Module<Tensor, Tensor> Model, IReadOnlyList<TrajectoryPoint> Points)
{
    /// <summary>
    /// Trains <paramref name="count"/> runs of models from <paramref name="create"/> on <paramref name="train"/>, recording
    /// each on <paramref name="test"/>. Run r (0-based) is initialised after <c>manual_seed(initializationSeed + r)</c> and
    /// trained by <see cref="Trainer.Train"/> with <paramref name="options"/>, seed r, label "run r+1", no progress
    /// output and the recorder as its only callback. The caller owns the models.
    /// </summary>
    public static IReadOnlyList<TrajectoryRun> Train(Func<nn.Module<Tensor, Tensor>> create, TensorDataset train, TensorDataset test,
        TrainingOptions options, int count, long initializationSeed = 1000)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"need at least one run; got {count}.");
        var runs = new List<TrajectoryRun>();
        for (int r = 0; r < count; r++)
        {
            manual_seed(initializationSeed + r);   // a different initialisation per run
            var model = create();
            var recorder = TrajectoryRecorder.EveryEpoch(test);
            recorder.Record(model, -1);            // the initialisation, shown as "epoch 0"
            Trainer.Train(model, train, options with { Seed = r, Label = $"run {r + 1}", Progress = ProgressSinks.None, Callbacks = [recorder] });
            runs.Add(new TrajectoryRun(model, recorder.Points));
        }
        return runs;
    }

    /// <summary>Every checkpoint of every run, run by run (the order <see cref="TrajectoryMatrices"/> and <see cref="TrajectorySummary"/> expect).</summary>
    public static IReadOnlyList<TrajectoryPoint> Checkpoints(IEnumerable<TrajectoryRun> runs) => runs.SelectMany(r => r.Points).ToList();

    /// <summary>One label a checkpoint, "r1 e0", "r1 e1", ... (e0 = the initialisation).</summary>
    public static IReadOnlyList<string> CheckpointLabels(IEnumerable<TrajectoryRun> runs) =>
        runs.SelectMany((r, i) => r.Points.Select(p => $"r{i + 1} e{p.Epoch + 1}")).ToList();

    /// <summary>One label a checkpoint naming its run, "run 1", "run 1", ..., "run 2", ...</summary>
    public static IReadOnlyList<string> RunLabels(IEnumerable<TrajectoryRun> runs) =>
        runs.SelectMany((r, i) => r.Points.Select(_ => $"run {i + 1}")).ToList();
}
