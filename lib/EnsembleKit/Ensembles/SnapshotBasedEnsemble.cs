using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// An ensemble whose members are weight snapshots of one training run (snapshot ensembles, FGE). It owns the snapshots and
/// predicts with the factory given at training time, or, without one, by loading each snapshot into the trained model
/// itself and putting the model's own state back afterwards.
/// </summary>
public abstract class SnapshotBasedEnsemble : IEnsemble
{
    readonly nn.Module<Tensor, Tensor>? trained;
    readonly Func<nn.Module<Tensor, Tensor>>? create;

    /// <summary>Needs <paramref name="create"/> or <paramref name="trained"/> to predict with (null when the factory is given and the run's network is gone).</summary>
    private protected SnapshotBasedEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor>? trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule)
    {
        if (trained is null && create is null) throw new ArgumentException("need the trained network or a factory of its architecture to predict with.", nameof(create));
        Snapshots = snapshots;
        History = history;
        this.trained = trained;
        this.create = create;
        Rule = rule;
    }

    public IReadOnlyList<WeightSnapshot> Snapshots { get; }
    public TrainingHistory History { get; }
    public abstract string Method { get; }
    public int Count => Snapshots.Count;
    public CombinationRule Rule { get; }
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Member logits <c>[M, N, C]</c>, one member a snapshot in training order.</summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => create is not null
        ? SnapshotMembers.Logits(create, Snapshots, data, batchSize)
        : SnapshotMembers.LogitsWith(trained!, Snapshots, data, batchSize);

    /// <summary>Copies of the snapshots (the caller disposes them; the ensemble keeps its own).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => Snapshots.Select(s => s.Copy()).ToList();

    /// <summary>
    /// Trains <paramref name="models"/> in place, run r with seed <c>seed + r</c>, with <paramref name="options"/> (its schedule
    /// set by the method), each run collecting its snapshots with its own <paramref name="collector"/>(checkpoint path): one run after another
    /// (<see cref="Trainer"/>), or with <paramref name="lockstep"/> all as one computation (<see cref="Training.Lockstep.LockstepTrainer"/>,
    /// <paramref name="lockstepWorkers"/> groups on the CPU), which gives each run the same snapshots up to float rounding.
    /// Checkpoints: run r keeps its own at <c>{options.CheckpointPath}.run{r}</c>, a lockstep set one at <c>….lockstep</c>
    /// (and its runs' snapshots beside <c>….lockstep.run{r}</c>).
    /// </summary>
    private protected static List<(List<WeightSnapshot> Snapshots, TrainingHistory History)> TrainRuns(IReadOnlyList<nn.Module<Tensor, Tensor>> models,
        TensorDataset train, TrainingOptions options, Func<string?, SnapshotCallback> collector, long seed, bool lockstep, int lockstepWorkers)
    {
        int runs = models.Count;
        if (!lockstep)
        {
            return models.Select((model, r) =>
            {
                var checkpoint = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.run{r}";
                var snapshots = collector(checkpoint);
                var history = new Trainer(options with
                {
                    Seed = seed + r,
                    Label = $"run {r + 1}/{runs}",
                    CheckpointPath = checkpoint,
                    Callbacks = [.. options.Callbacks, snapshots],
                }).Fit(model, train);
                return (snapshots.TakeSnapshots(), history);
            }).ToList();
        }
        var collectors = models.Select((_, r) => collector(options.CheckpointPath is null ? null : $"{options.CheckpointPath}.lockstep.run{r}")).ToList();
        var histories = new Training.Lockstep.LockstepTrainer(options with
        {
            Seed = seed,
            Label = $"lockstep {runs} runs",
            CheckpointPath = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.lockstep",
        })
        { Workers = lockstepWorkers }.Fit(models, train, collectors);
        return collectors.Select((c, r) => (c.TakeSnapshots(), histories[r])).ToList();
    }

    public void Dispose()
    {
        foreach (var s in Snapshots) s.Dispose();
        GC.SuppressFinalize(this);
    }
}
