using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Fast geometric ensembling (Garipov et al. 2018, seed 004): from a trained model, continue training with a
/// triangular cyclic rate (<see cref="TriangularCyclicSchedule"/>) and collect the weights at the middle of each
/// cycle, where the rate is lowest. The object owns the collected snapshots.
/// </summary>
public sealed class FastGeometricEnsemble : SnapshotBasedEnsemble
{
    FastGeometricEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor>? trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule) : base(snapshots, history, trained, create, rule) { }

    public override string Method => "fast geometric ensemble";

    /// <summary>
    /// Continues training <paramref name="trained"/> in place for <paramref name="members"/> cycles of
    /// <paramref name="cycleEpochs"/> epochs (even, so each mid-cycle falls on an epoch end) between
    /// <paramref name="highRate"/> and <paramref name="lowRate"/>, collecting one member per cycle.
    /// <paramref name="create"/> (a factory of the model's architecture) is kept for predictions; without it the ensemble
    /// predicts by loading members into <paramref name="trained"/> and restoring it afterwards.
    /// </summary>
    public static FastGeometricEnsemble Train(nn.Module<Tensor, Tensor> trained, TensorDataset train, TrainingOptions options,
        int members, int cycleEpochs, double highRate, double lowRate,
        Func<nn.Module<Tensor, Tensor>>? create = null, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        TorchRuntime.EnsureInitialized();
        var (phase, collector) = Phase(options, members, cycleEpochs, highRate, lowRate);
        var snapshots = collector(options.CheckpointPath);
        var history = new Trainer(phase with { Callbacks = [.. options.Callbacks, snapshots] }).Fit(trained, train);
        return new FastGeometricEnsemble(snapshots.TakeSnapshots(), history, trained, create, rule);
    }

    /// <summary>
    /// FGE phases of several trained networks, one run each: run r is <see cref="Train"/> of <paramref name="trained"/>[r]
    /// with seed <c>seed + r</c> (e.g. the members of a <see cref="DeepEnsemble"/>, each continued into an FGE). With
    /// <paramref name="lockstep"/> the runs train together as one computation (<see cref="Training.Lockstep.LockstepTrainer"/>;
    /// only <see cref="Training.Lockstep.LockstepModels.Supported"/> architectures, no <c>options.Callbacks</c>), with
    /// the same members up to float rounding; on the CPU <paramref name="lockstepWorkers"/> groups train at once, one thread
    /// each. The networks are trained in place and stay the caller's.
    /// </summary>
    public static IReadOnlyList<FastGeometricEnsemble> TrainRuns(IReadOnlyList<nn.Module<Tensor, Tensor>> trained, TensorDataset train, TrainingOptions options,
        int members, int cycleEpochs, double highRate, double lowRate, Func<nn.Module<Tensor, Tensor>>? create = null,
        CombinationRule rule = CombinationRule.MeanProbabilities, long seed = 0, bool lockstep = false, int lockstepWorkers = 1)
    {
        ArgumentNullException.ThrowIfNull(trained);
        if (trained.Count == 0) throw new ArgumentException("need at least one trained network.", nameof(trained));
        if (lockstepWorkers < 1) throw new ArgumentOutOfRangeException(nameof(lockstepWorkers), $"lockstep workers must be at least 1; got {lockstepWorkers}.");
        TorchRuntime.EnsureInitialized();
        var (phase, collector) = Phase(options, members, cycleEpochs, highRate, lowRate);
        var runs = TrainRuns(trained, train, phase, collector, seed, lockstep, lockstepWorkers);
        return runs.Select((run, r) => new FastGeometricEnsemble(run.Snapshots, run.History, trained[r], create, rule)).ToList();
    }

    /// <summary>
    /// The FGE phase's options (<paramref name="members"/> cycles between the two rates, stopped at the last collection
    /// point) and a collector of one member at each cycle's middle, saving them beside the given checkpoint path; refuses
    /// settings that make no FGE.
    /// </summary>
    static (TrainingOptions Phase, Func<string?, SnapshotCallback> Collector) Phase(TrainingOptions options, int members, int cycleEpochs, double highRate, double lowRate)
    {
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"members must be positive; got {members}.");
        if (cycleEpochs < 2 || cycleEpochs % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(cycleEpochs), $"the cycle must be an even number of epochs (its middle is a collection point); got {cycleEpochs}.");
        if (!(highRate > lowRate && lowRate > 0))
            throw new ArgumentException($"need highRate > lowRate > 0; got {highRate} and {lowRate}.");
        int half = cycleEpochs / 2;
        var phase = options with
        {
            Epochs = members * cycleEpochs - half, // stop at the last collection point
            LearningRate = highRate,
            Schedule = new TriangularCyclicSchedule(highRate, lowRate, cycleEpochs),
        };
        return (phase, checkpoint => new SnapshotCallback((epoch, _) => (epoch + 1) % cycleEpochs == half, "FGE member", checkpoint));
    }

    /// <summary>Member logits <c>[M, N, C]</c>.</summary>
    public Tensor MemberLogits<TModel>(Func<TModel> create, TensorDataset data) where TModel : nn.Module<Tensor, Tensor> =>
        SnapshotMembers.Logits(create, Snapshots, data);
}
