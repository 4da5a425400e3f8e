using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Snapshot ensemble (Huang et al. 2017, seed 004): one training run with a cyclic cosine schedule
/// (<see cref="CyclicCosineSchedule"/>), a snapshot at the end of each cycle (the learning-rate minimum),
/// the members are the snapshots. The object owns the snapshots.
/// </summary>
public sealed class SnapshotEnsemble : SnapshotBasedEnsemble
{
    SnapshotEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor>? trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule) : base(snapshots, history, trained, create, rule) { }

    public override string Method => "snapshot ensemble";

    /// <summary>
    /// Trains <paramref name="model"/> for <c>options.Epochs</c> epochs in <paramref name="cycles"/> cycles from
    /// <c>options.LearningRate</c> (the paper's a0), snapshotting each cycle end. Epochs must divide into the cycles.
    /// <paramref name="create"/> (a factory of <paramref name="model"/>'s architecture) is kept for predictions; without it
    /// the ensemble predicts by loading snapshots into <paramref name="model"/> and restoring it afterwards.
    /// </summary>
    public static SnapshotEnsemble Train(nn.Module<Tensor, Tensor> model, TensorDataset train, TrainingOptions options, int cycles, double minimumRate = 0,
        Func<nn.Module<Tensor, Tensor>>? create = null, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        TorchRuntime.EnsureInitialized();
        var collector = CycleEnds(options, cycles)(options.CheckpointPath);
        var history = new Trainer(options with
        {
            Schedule = new CyclicCosineSchedule(cycles, minimumRate),
            Callbacks = [.. options.Callbacks, collector],
        }).Fit(model, train);
        return new SnapshotEnsemble(collector.TakeSnapshots(), history, model, create, rule);
    }

    /// <summary>
    /// <paramref name="runs"/> snapshot runs of one recipe, for their seed-to-seed spread or an ensemble of snapshot
    /// ensembles: run r is <see cref="Train"/> of a model built by <paramref name="create"/> after <c>manual_seed(seed + r)</c>,
    /// trained with seed <c>seed + r</c>. With <paramref name="lockstep"/> the runs train together as one computation
    /// (<see cref="Training.Lockstep.LockstepTrainer"/>; only <see cref="Training.Lockstep.LockstepModels.Supported"/>
    /// architectures, no <c>options.Callbacks</c>), with the same snapshots up to float rounding; on the CPU
    /// <paramref name="lockstepWorkers"/> groups of runs train at once, one thread each. Each ensemble owns its snapshots and
    /// predicts through <paramref name="create"/>; the runs' networks are released once trained.
    /// </summary>
    public static IReadOnlyList<SnapshotEnsemble> TrainRuns<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options, int runs, int cycles,
        double minimumRate = 0, CombinationRule rule = CombinationRule.MeanProbabilities, long seed = 0, bool lockstep = false, int lockstepWorkers = 1)
        where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(create);
        if (runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), $"runs must be positive; got {runs}.");
        if (lockstepWorkers < 1) throw new ArgumentOutOfRangeException(nameof(lockstepWorkers), $"lockstep workers must be at least 1; got {lockstepWorkers}.");
        TorchRuntime.EnsureInitialized();
        var collector = CycleEnds(options, cycles);
        var models = new List<nn.Module<Tensor, Tensor>>();
        try
        {
            for (int r = 0; r < runs; r++)
            {
                manual_seed(seed + r); // run r's initialisation, as Train's caller would seed it
                models.Add(create());
            }
            var trained = TrainRuns(models, train, options with { Schedule = new CyclicCosineSchedule(cycles, minimumRate) }, collector, seed, lockstep, lockstepWorkers);
            return trained.Select(t => new SnapshotEnsemble(t.Snapshots, t.History, trained: null, () => create(), rule)).ToList();
        }
        finally
        {
            // Each run's last snapshot holds its final weights; the members predict through create.
            foreach (var model in models) model.Dispose();
        }
    }

    /// <summary>
    /// A collector of one snapshot at each cycle's end, saving them beside the given checkpoint path (so a resumed run keeps
    /// them); refuses epochs that do not split into <paramref name="cycles"/>.
    /// </summary>
    static Func<string?, SnapshotCallback> CycleEnds(TrainingOptions options, int cycles)
    {
        if (cycles < 1 || options.Epochs % cycles != 0)
            throw new ArgumentException($"{options.Epochs} epochs do not split into {cycles} equal cycles; choose epochs divisible by cycles.", nameof(cycles));
        int cycleEpochs = options.Epochs / cycles;
        return checkpoint => new SnapshotCallback((epoch, _) => (epoch + 1) % cycleEpochs == 0, "snapshot", checkpoint);
    }

    /// <summary>Logits <c>[M, N, C]</c> of the last <paramref name="last"/> snapshots (all by default).</summary>
    public Tensor MemberLogits<TModel>(Func<TModel> create, TensorDataset data, int? last = null) where TModel : nn.Module<Tensor, Tensor> =>
        SnapshotMembers.Logits(create, Snapshots.Skip(Snapshots.Count - (last ?? Snapshots.Count)), data);
}
