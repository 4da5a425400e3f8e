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
    readonly nn.Module<Tensor, Tensor> trained;
    readonly Func<nn.Module<Tensor, Tensor>>? create;

    private protected SnapshotBasedEnsemble(IReadOnlyList<WeightSnapshot> snapshots, TrainingHistory history, nn.Module<Tensor, Tensor> trained,
        Func<nn.Module<Tensor, Tensor>>? create, CombinationRule rule)
    {
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
        : SnapshotMembers.LogitsWith(trained, Snapshots, data, batchSize);

    /// <summary>Copies of the snapshots (the caller disposes them; the ensemble keeps its own).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => Snapshots.Select(s => s.Copy()).ToList();

    public void Dispose()
    {
        foreach (var s in Snapshots) s.Dispose();
        GC.SuppressFinalize(this);
    }
}
