using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// The children of a subnetwork ensemble (noisy, sparse or stochastic), as ordinary models of the parent's type, so that
/// <see cref="Predict.MemberLogits"/>, <see cref="DeepEnsemble"/> and the metrics apply to them. Holds each child's
/// pruning mask (none for noisy children), its tuning history, and for Algorithm 1 the whole candidate population.
/// <para><b>Parent (seed-spec §5 item 2):</b> seed 002's algorithms average the parent with the children, its tables count
/// the children only. <see cref="Children"/> never includes the parent; pass it to <see cref="MemberLogits"/> to put it first.</para>
/// <para><b>Combination (§5 item 1):</b> the algorithms take <c>softmax(mean(logits))</c>, the text (§3.2.5) averages
/// softmax outputs; choose with <see cref="Combine.Probabilities"/> and a <see cref="CombinationRule"/>.</para>
/// The object owns the children and masks; dispose it when done.
/// </summary>
public sealed class SubnetworkEnsemble<TModel> : IEnsemble where TModel : nn.Module<Tensor, Tensor>
{
    readonly List<TModel> _children;
    readonly List<SubnetworkMask> _masks;
    readonly List<TrainingHistory> _histories;

    internal SubnetworkEnsemble(List<TModel> children, List<SubnetworkMask> masks, List<TrainingHistory> histories, IReadOnlyList<NoisyCandidate>? candidates = null,
        string method = "subnetwork ensemble")
    {
        Method = method;
        if (masks.Count != 0 && masks.Count != children.Count)
            throw new ArgumentException($"{masks.Count} masks for {children.Count} children.", nameof(masks));
        _children = children;
        _masks = masks;
        _histories = histories;
        Candidates = candidates ?? [];
    }

    public IReadOnlyList<TModel> Children => _children;
    /// <summary>"noisy", "sparse" or "stochastic subnetwork ensemble".</summary>
    public string Method { get; }
    /// <summary>How <see cref="IEnsemble"/> consumers combine the children; the mean of probabilities (the text's rule,
    /// §5 item 1) unless set.</summary>
    public CombinationRule Rule { get; init; } = CombinationRule.MeanProbabilities;
    public int Count => _children.Count;
    /// <summary>Each child's subnetwork mask (kept = 1), or empty for noisy children.</summary>
    public IReadOnlyList<SubnetworkMask> Masks => _masks;
    /// <summary>Tuning histories, one per child and tuning run.</summary>
    public IReadOnlyList<TrainingHistory> Histories => _histories;
    /// <summary>Algorithm 1's population (empty for the other algorithms).</summary>
    public IReadOnlyList<NoisyCandidate> Candidates { get; }

    /// <summary>Each child's nonzero parameter count and sparsity, and the total.</summary>
    public SubnetworkReport Report(nn.Module? parent = null) => SubnetworkReport.Of(_children, parent);

    /// <summary>Member logits <c>[M, N, C]</c> on <paramref name="data"/>; with <paramref name="parent"/>, the parent is member 0.</summary>
    public Tensor MemberLogits(TensorDataset data, nn.Module<Tensor, Tensor>? parent = null, int batchSize = 1000)
    {
        var members = new List<nn.Module<Tensor, Tensor>>();
        if (parent is not null) members.Add(parent);
        members.AddRange(_children);
        return Predict.MemberLogits(members, data, batchSize);
    }

    /// <summary>The children's logits <c>[M, N, C]</c> (the parent is not a member; see the class remarks).</summary>
    Tensor IEnsemble.MemberLogits(TensorDataset data, int batchSize) => MemberLogits(data, null, batchSize);

    /// <summary>Each child's state on the CPU (pruned weights are zeros in it; the caller disposes them).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => _children.Select((c, i) => WeightSnapshot.Of(c, $"child {i + 1}")).ToList();

    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Trains every child further in place (Algorithm 1's optional tuning, or extra epochs for pruned children). Child i
    /// uses <c>options.Seed + i</c>; pruned children keep their masks through a <see cref="MaskEnforcer"/>. With
    /// <paramref name="lockstep"/> the children train together as one computation (<see cref="Training.Lockstep.LockstepTrainer"/>,
    /// masks and all; only <see cref="Training.Lockstep.LockstepModels.Supported"/> architectures, no <c>options.Callbacks</c>):
    /// the same children up to float rounding; on the CPU <paramref name="lockstepWorkers"/> groups train at once, one
    /// thread each. Checkpoints: child i keeps <c>{options.CheckpointPath}.child{i}</c>, lockstep children one <c>….lockstep</c>.
    /// </summary>
    public IReadOnlyList<TrainingHistory> Tune(TensorDataset train, TrainingOptions options, bool lockstep = false, int lockstepWorkers = 1)
    {
        if (lockstepWorkers < 1) throw new ArgumentOutOfRangeException(nameof(lockstepWorkers), $"lockstep workers must be at least 1; got {lockstepWorkers}.");
        if (lockstep) return TuneInLockstep(train, options, lockstepWorkers);
        var histories = new List<TrainingHistory>();
        for (int i = 0; i < _children.Count; i++)
        {
            var callbacks = options.Callbacks.ToList();
            if (_masks.Count > 0)
            {
                _masks[i].ApplyTo(_children[i]);
                callbacks.Add(new MaskEnforcer(_masks[i]));
            }
            var childOptions = options with
            {
                Seed = options.Seed + i,
                Label = $"child {i + 1}/{_children.Count}",
                Callbacks = callbacks,
                CheckpointPath = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.child{i}",
            };
            histories.Add(new Trainer(childOptions).Fit(_children[i], train));
        }
        _histories.AddRange(histories);
        return histories;
    }

    /// <summary><see cref="Tune"/>'s lockstep path: every child at once, each keeping its mask.</summary>
    IReadOnlyList<TrainingHistory> TuneInLockstep(TensorDataset train, TrainingOptions options, int workers)
    {
        var trainer = new Training.Lockstep.LockstepTrainer(options with
        {
            Label = $"lockstep {_children.Count} children",
            CheckpointPath = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.lockstep",
        })
        { Workers = workers };
        IReadOnlyList<IReadOnlyDictionary<string, Tensor>?>? masks = null;
        if (_masks.Count > 0)
        {
            for (int i = 0; i < _children.Count; i++) _masks[i].ApplyTo(_children[i]);
            masks = _masks.Select(m => (IReadOnlyDictionary<string, Tensor>?)m.Names.ToDictionary(n => n, n => m[n])).ToList();
        }
        var histories = trainer.Fit(_children.Cast<nn.Module<Tensor, Tensor>>().ToList(), train, memberMasks: masks);
        _histories.AddRange(histories);
        return histories;
    }

    public void Dispose()
    {
        foreach (var c in _children) c.Dispose();
        foreach (var m in _masks) m.Dispose();
        _children.Clear();
        _masks.Clear();
    }
}
