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
public sealed class FastGeometricEnsemble : IEnsemble
{
    public IReadOnlyList<WeightSnapshot> Snapshots { get; }
    public TrainingHistory History { get; }

    readonly nn.Module<Tensor, Tensor> trained;
    readonly Func<nn.Module<Tensor, Tensor>>? create;

    FastGeometricEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor> trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule)
    {
        Snapshots = snapshots;
        History = history;
        this.trained = trained;
        this.create = create;
        Rule = rule;
    }

    public string Method => "fast geometric ensemble";
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
        if (members < 1) throw new ArgumentOutOfRangeException(nameof(members), $"members must be positive; got {members}.");
        if (cycleEpochs < 2 || cycleEpochs % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(cycleEpochs), $"the cycle must be an even number of epochs (its middle is a collection point); got {cycleEpochs}.");
        if (!(highRate > lowRate && lowRate > 0))
            throw new ArgumentException($"need highRate > lowRate > 0; got {highRate} and {lowRate}.");
        int half = cycleEpochs / 2;
        var collector = new SnapshotCallback((epoch, _) => (epoch + 1) % cycleEpochs == half, "FGE member");
        var history = new Trainer(options with
        {
            Epochs = members * cycleEpochs - half, // stop at the last collection point
            LearningRate = highRate,
            Schedule = new TriangularCyclicSchedule(highRate, lowRate, cycleEpochs),
            Callbacks = [.. options.Callbacks, collector],
        }).Fit(trained, train);
        return new FastGeometricEnsemble(collector.TakeSnapshots(), history, trained, create, rule);
    }

    /// <summary>Member logits <c>[M, N, C]</c>.</summary>
    public Tensor MemberLogits<TModel>(Func<TModel> create, TensorDataset data) where TModel : nn.Module<Tensor, Tensor> =>
        SnapshotMembers.Logits(create, Snapshots, data);

    public void Dispose()
    {
        foreach (var s in Snapshots) s.Dispose();
    }
}
