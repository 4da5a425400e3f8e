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
public sealed class SnapshotEnsemble : IEnsemble
{
    public IReadOnlyList<WeightSnapshot> Snapshots { get; }
    public TrainingHistory History { get; }

    readonly nn.Module<Tensor, Tensor> trained;
    readonly Func<nn.Module<Tensor, Tensor>>? create;

    SnapshotEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor> trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule)
    {
        Snapshots = snapshots;
        History = history;
        this.trained = trained;
        this.create = create;
        Rule = rule;
    }

    public string Method => "snapshot ensemble";
    public int Count => Snapshots.Count;
    public CombinationRule Rule { get; }

    /// <summary>
    /// Member logits <c>[M, N, C]</c>: each snapshot loaded into a model from the factory given to <c>Train</c>, or, without
    /// one, into the trained model itself, whose own state is put back afterwards.
    /// </summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => create is not null
        ? SnapshotMembers.Logits(create, Snapshots, data, batchSize)
        : SnapshotMembers.LogitsWith(trained, Snapshots, data, batchSize);

    /// <summary>Copies of the snapshots (the caller disposes them; the ensemble keeps its own).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => Snapshots.Select(s => s.Copy()).ToList();

    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

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
        if (cycles < 1 || options.Epochs % cycles != 0)
            throw new ArgumentException($"{options.Epochs} epochs do not split into {cycles} equal cycles; choose epochs divisible by cycles.", nameof(cycles));
        int cycleEpochs = options.Epochs / cycles;
        var collector = new SnapshotCallback((epoch, _) => (epoch + 1) % cycleEpochs == 0, "snapshot");
        var history = new Trainer(options with
        {
            Schedule = new CyclicCosineSchedule(cycles, minimumRate),
            Callbacks = [.. options.Callbacks, collector],
        }).Fit(model, train);
        return new SnapshotEnsemble(collector.TakeSnapshots(), history, model, create, rule);
    }

    /// <summary>Logits <c>[M, N, C]</c> of the last <paramref name="last"/> snapshots (all by default).</summary>
    public Tensor MemberLogits<TModel>(Func<TModel> create, TensorDataset data, int? last = null) where TModel : nn.Module<Tensor, Tensor> =>
        SnapshotMembers.Logits(create, Snapshots.Skip(Snapshots.Count - (last ?? Snapshots.Count)), data);

    public void Dispose()
    {
        foreach (var s in Snapshots) s.Dispose();
    }
}
