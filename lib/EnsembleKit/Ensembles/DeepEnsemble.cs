using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Independently trained members combined by an explicit <see cref="CombinationRule"/>
/// (Lakshminarayanan et al. 2017; seed 000). As a module, <c>forward</c> returns the log of the ensemble
/// distribution <c>[B, C]</c>, so an ensemble can stand wherever a model's logits are expected
/// (e.g. as a distillation teacher).
/// </summary>
public sealed class DeepEnsemble : nn.Module<Tensor, Tensor>, IEnsemble
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> members;
    public CombinationRule Rule { get; }
    /// <summary>Training histories, one per member, when the ensemble was built by <see cref="Train{TModel}"/>.</summary>
    public IReadOnlyList<TrainingHistory> Histories { get; }

    /// <summary>The method that produced the members ("deep ensemble" unless built by bagging, loaded from a file of another
    /// method, ...).</summary>
    public string Method { get; }

    public DeepEnsemble(IEnumerable<nn.Module<Tensor, Tensor>> members, CombinationRule rule = CombinationRule.MeanProbabilities,
        IReadOnlyList<TrainingHistory>? histories = null, string method = "deep ensemble") : base("DeepEnsemble")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        Method = method;
        this.members = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>>(members.ToArray());
        if (this.members.Count == 0) throw new ArgumentException("an ensemble needs at least one member.", nameof(members));
        Rule = rule;
        Histories = histories ?? [];
        RegisterComponents();
    }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Members => members.ToList();
    public int Count => members.Count;

    /// <summary>
    /// Trains <paramref name="count"/> members from <paramref name="create"/>; member m is initialised
    /// with seed <c>seed + m</c> and shuffles its batches with that seed too, so members differ only by
    /// their randomness and the whole ensemble is reproducible.
    /// With <paramref name="lockstep"/> the members are trained together as one computation
    /// (<see cref="Training.Lockstep.LockstepTrainer"/>: same initialisation, batch order and updates as here, up to
    /// float rounding; no callbacks, and only architectures in <see cref="Training.Lockstep.LockstepModels.Supported"/>).
    /// On the CPU, <paramref name="lockstepWorkers"/> &gt; 1 trains that many groups of members at once, one thread each
    /// (<see cref="Training.Lockstep.LockstepTrainer.Workers"/>; <see cref="Training.Lockstep.LockstepTrainer.CpuWorkers"/>
    /// picks a number); on 2-core CPUs one group measured 0.38-1.27x the sequential speed, groups 0.90-1.44x (README, Benchmarks).
    /// Checkpoints: sequentially, member m keeps its own at <c>{options.CheckpointPath}.member{m}</c>; in lockstep the whole
    /// run keeps one at <c>{options.CheckpointPath}.lockstep</c>, or each group one at <c>….lockstep.members{first}-{last}</c>
    /// (see <see cref="Training.Lockstep.LockstepTrainer"/>), so the kinds of run never share a file. Each resumes after its
    /// last finished epoch when run again with the same path.
    /// </summary>
    public static DeepEnsemble Train<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options, int count,
        CombinationRule rule = CombinationRule.MeanProbabilities, long seed = 0, bool lockstep = false, int lockstepWorkers = 1)
        where TModel : nn.Module<Tensor, Tensor>
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"member count must be positive; got {count}.");
        if (lockstepWorkers < 1) throw new ArgumentOutOfRangeException(nameof(lockstepWorkers), $"lockstep workers must be at least 1; got {lockstepWorkers}.");
        if (lockstepWorkers > 1 && !lockstep)
            throw new ArgumentException($"lockstepWorkers = {lockstepWorkers} needs lockstep: true.", nameof(lockstepWorkers));
        TorchRuntime.EnsureInitialized();
        if (lockstep) return TrainLockstep(create, train, options, count, rule, seed, lockstepWorkers);
        var models = new List<nn.Module<Tensor, Tensor>>();
        var histories = new List<TrainingHistory>();
        for (int m = 0; m < count; m++)
        {
            var checkpoint = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.member{m}";
            var (model, history) = TrainMember(create, train, options with { CheckpointPath = checkpoint }, m, count, seed);
            histories.Add(history);
            models.Add(model);
        }
        return new DeepEnsemble(models, rule, histories);
    }

    /// <summary>
    /// Trains member <paramref name="index"/> of <paramref name="count"/> exactly as <see cref="Train{TModel}"/> does
    /// (initialised and shuffled with seed <c>seed + index</c>), so a member trained alone, e.g. on another machine,
    /// equals that member of the whole ensemble. <paramref name="options"/>' checkpoint path is used as given.
    /// </summary>
    public static (TModel Model, TrainingHistory History) TrainMember<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options,
        int index, int count, long seed = 0) where TModel : nn.Module<Tensor, Tensor>
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"member count must be positive; got {count}.");
        if (index < 0 || index >= count) throw new ArgumentOutOfRangeException(nameof(index), $"member index must be in [0, {count}); got {index}.");
        TorchRuntime.EnsureInitialized();
        manual_seed(seed + index);
        var model = create();
        var memberOptions = options with { Seed = seed + index, Label = $"member {index + 1}/{count}" };
        return (model, new Trainer(memberOptions).Fit(model, train));
    }

    static DeepEnsemble TrainLockstep<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options, int count,
        CombinationRule rule, long seed, int workers) where TModel : nn.Module<Tensor, Tensor>
    {
        // Refused before any member is built (callbacks).
        var checkpoint = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.lockstep";
        var trainer = new Training.Lockstep.LockstepTrainer(options with { Seed = seed, Label = $"lockstep {count} members", CheckpointPath = checkpoint }) { Workers = workers };
        var models = new List<nn.Module<Tensor, Tensor>>();
        try
        {
            for (int m = 0; m < count; m++)
            {
                manual_seed(seed + m); // member m's initialisation, as in the sequential loop
                models.Add(create());
            }
            var histories = trainer.Fit(models, train);
            return new DeepEnsemble(models, rule, histories);
        }
        catch
        {
            foreach (var model in models) model.Dispose();
            throw;
        }
    }

    /// <summary>Member logits <c>[M, B, C]</c> for a batch of inputs.</summary>
    public Tensor MemberLogits(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return stack(members.Select(m => m.forward(inputs)).ToList(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>Member logits <c>[M, N, C]</c> on a whole dataset (eval mode, no gradients).</summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => Predict.MemberLogits(members, data, batchSize);

    /// <summary>Each member's state on the CPU (the caller disposes them).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() =>
        members.Select((m, i) => WeightSnapshot.Of(m, $"member {i + 1}")).ToList();

    /// <summary>None: the member states are the whole ensemble.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>Log of the ensemble distribution <c>[B, C]</c>.</summary>
    public override Tensor forward(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return Combine.LogProbabilities(MemberLogits(inputs), Rule).MoveToOuterDisposeScope();
    }
}
