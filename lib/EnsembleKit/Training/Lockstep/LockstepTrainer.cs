using System.Diagnostics;
using System.Runtime.ExceptionServices;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// Trains M members of one architecture together as one computation (<see cref="LockstepModel"/>): each step gathers
/// every member's own mini-batch into <c>[M, B, ...]</c>, runs one forward/backward pass on the stacked parameters and
/// one optimiser step. Member m behaves as if trained alone by <see cref="Trainer"/> with seed <c>Options.Seed + m</c>
/// (what <see cref="Ensembles.DeepEnsemble.Train{TModel}"/> gives it): the same batch order, augmentation and dropout
/// streams, and, since the loss is the sum of the members' mean losses and SGD/Adam act elementwise, the same
/// update (up to float rounding of the batched products). The trained weights are written back into the members.
/// <para>With <see cref="TrainingOptions.CheckpointPath"/> the whole run keeps one checkpoint there (<see cref="Checkpoint"/>:
/// the stacked model and optimiser state and every member's history), written atomically after every epoch; a run with
/// the same settings resumes after the last finished epoch and continues exactly, since every per-epoch stream is
/// seeded from the epoch number. Its settings are <see cref="RunFingerprint.Of"/> of the stacked model (whose shapes
/// carry M) plus <c>trainer: lockstep, M members, seeds s..s+M-1</c>, so a sequential run never resumes from a lockstep
/// checkpoint nor a lockstep run from a sequential one (<see cref="CheckpointMismatchException"/>).</para>
/// <para>On the CPU, <see cref="Workers"/> &gt; 1 splits the members into that many groups of consecutive members, each
/// trained in lockstep on its own thread with one intra-op thread, all at once: there the gain comes from the cores, not
/// from batched kernels (README, <i>Benchmarks</i>). Each group keeps its own checkpoint,
/// <c>{CheckpointPath}.members{first}-{last}</c> (1-based), with its own settings. A group that fails stops the others
/// at their next step, and its exception reaches the caller once all have stopped.</para>
/// <para>Callbacks: <see cref="TrainingOptions.Callbacks"/> see one model and are refused (<see cref="NotSupportedException"/>).
/// Each member may have its own observer called at every epoch end with that member's weights (a
/// <see cref="SnapshotCallback"/>, say: what snapshot and FGE runs of several seeds use); callbacks that change training
/// or hook into steps are refused, since a lockstep step has no single member to show them.
/// The history's per-epoch seconds are the wall time of the whole lockstep epoch, the same for every member.</para>
/// <para>Masks: each member may keep some weights at zero (pruned subnetwork children), as a mask enforcer does for one
/// network: the removed weights' gradients are zeroed before each step and the weights masked again after it.</para>
/// </summary>
public sealed class LockstepTrainer
{
    public TrainingOptions Options { get; }

    /// <summary>How the stacked layers run (<see cref="LockstepModel.Kernels"/>); by default per member on the CPU, batched elsewhere.</summary>
    public LockstepKernels Kernels { get; init; } = LockstepKernels.Auto;

    /// <summary>
    /// Groups of members trained at the same time on the CPU, one thread each (1, the default: one computation for all).
    /// <see cref="CpuWorkers"/> gives a choice that keeps every core busy; more workers than members act as one a member.
    /// </summary>
    public int Workers
    {
        get;
        init
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(Workers), $"Workers must be at least 1; got {value}.");
            field = value;
        }
    } = 1;

    /// <summary>
    /// Workers for <paramref name="members"/> members on <paramref name="threads"/> CPU threads: the smallest divisor of
    /// M that is at least min(threads, M), so that every thread is busy and the groups are the same size (M = 3 on 2
    /// threads: 3 groups of one; M = 8: 2 groups of four). 1 when there is one thread.
    /// </summary>
    public static int CpuWorkers(int members, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int least = Math.Min(threads, members);
        int workers = least;
        while (members % workers != 0) workers++;
        return workers;
    }

    public LockstepTrainer(TrainingOptions options)
    {
        options.Validate();
        if (options.Callbacks.Count > 0)
            throw new NotSupportedException($"lockstep training does not run training callbacks ({options.Callbacks.Count} given); they see one model, train sequentially to use them.");
        Options = options;
    }

    /// <summary>
    /// Trains <paramref name="members"/> in place on <paramref name="data"/>; returns one history per member, labelled
    /// <c>member m/M</c>. Member m's randomness comes from seed <c>Options.Seed + m</c>. With a checkpoint path, an
    /// existing checkpoint of the same run is resumed (all epochs done: the members get its weights without training).
    /// <paramref name="memberCallbacks"/>, when given, holds one epoch-end observer a member (null for none): after each
    /// epoch the members get their current weights and observer m sees member m, in train mode, as the
    /// <see cref="Trainer"/> would show it (before the checkpoint is written and progress reported); a resumed run calls
    /// their <see cref="ITrainingCallback.OnResume"/> with the members' weights first.
    /// <paramref name="memberMasks"/>, when given, holds one mask a member (null for none): 0/1 tensors keyed by parameter
    /// name, each of its parameter's shape; apply them to the members before training, as for one network.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="memberCallbacks"/> or <paramref name="memberMasks"/> does not hold one
    /// entry a member, or a mask names no parameter of the members or has another shape.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint was written by a run with other settings (or a sequential one),
    /// or by a run that split the members into other groups (<see cref="Workers"/>).</exception>
    /// <exception cref="CheckpointDamagedException">The checkpoint is truncated, changed or not a checkpoint; the members are left as they are.</exception>
    /// <exception cref="NotSupportedException">The members' architecture has no lockstep counterpart (<see cref="LockstepModels"/>),
    /// or a member's callback changes training or has per-step hooks.</exception>
    public IReadOnlyList<TrainingHistory> Fit(IReadOnlyList<nn.Module<Tensor, Tensor>> members, TensorDataset data,
        IReadOnlyList<ITrainingCallback?>? memberCallbacks = null, IReadOnlyList<IReadOnlyDictionary<string, Tensor>?>? memberMasks = null)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(data);
        Trainer.RequireSamples(data);
        if (memberCallbacks is not null)
        {
            if (memberCallbacks.Count != members.Count)
                throw new ArgumentException($"need one member callback (or null) a member: {members.Count} members, {memberCallbacks.Count} callbacks.", nameof(memberCallbacks));
            for (int m = 0; m < memberCallbacks.Count; m++)
                if (memberCallbacks[m] is { } callback) RequireEpochEndObserver(callback, m, members.Count);
        }
        if (memberMasks is not null && memberMasks.Count != members.Count)
            throw new ArgumentException($"need one member mask (or null) a member: {members.Count} members, {memberMasks.Count} masks.", nameof(memberMasks));
        var device = data.Inputs.device;
        int workers = Math.Min(Workers, members.Count);
        if (workers > 1 && device.type != DeviceType.CPU)
            throw new NotSupportedException($"Workers > 1 trains member groups on CPU threads; the data is on {device.type}. Leave Workers at 1 there (batched kernels).");
        if (Options.CheckpointPath is { } path) RequireSameGrouping(path, workers, members.Count);
        foreach (var member in members) member?.to(device);
        if (workers <= 1) return FitGroup(members, memberCallbacks, memberMasks, data, Options, 0, members.Count);
        // Checked here, so that no group starts when the members cannot be trained together or a mask does not fit.
        using (var whole = LockstepModels.Create(members)) StackedMasks.Of(whole, memberMasks, 0)?.Dispose();
        return FitGroups(members, memberCallbacks, memberMasks, data, workers);
    }

    /// <summary>Group <paramref name="group"/>'s checkpoint: <c>PATH.members{first}-{last}</c>, 1-based, as <see cref="FitGroups"/> splits the members.</summary>
    static string GroupCheckpoint(string path, int group, int workers, int count) =>
        $"{path}.members{group * count / workers + 1}-{(group + 1) * count / workers}";

    /// <summary>
    /// Refuses checkpoints of another grouping of the members: the file names carry the groups (<c>PATH</c> for one
    /// computation, <c>PATH.members1-4</c> …), so a run restarted with another <see cref="Workers"/> (<c>auto</c> follows the
    /// thread count) would find none of its own and silently train again from the first epoch.
    /// </summary>
    static void RequireSameGrouping(string path, int workers, int count)
    {
        HashSet<string> expected = workers <= 1 ? [Path.GetFullPath(path)]
            : Enumerable.Range(0, workers).Select(g => Path.GetFullPath(GroupCheckpoint(path, g, workers, count))).ToHashSet();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) return;
        var name = Path.GetFileName(path);
        var pattern = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(name)}(\\.members\\d+-\\d+)?$");
        var others = Directory.EnumerateFiles(folder, name + "*").Where(f => pattern.IsMatch(Path.GetFileName(f)) && !expected.Contains(f)).Order().ToList();
        if (others.Count == 0) return;
        string grouping = workers <= 1 ? "one computation" : $"{workers} member groups";
        throw new CheckpointMismatchException(path, [$"member groups: this run trains {count} members as {grouping}; checkpoints of another grouping are there: " +
            string.Join(", ", others.Select(Path.GetFileName)) + " (restart with the Workers / --lockstep-workers and thread count that wrote them)"]);
    }

    /// <summary>
    /// Refuses a member callback that a lockstep run cannot honour: one that changes training (its
    /// <see cref="ITrainingCallback.ChangesTraining"/>) or implements a per-step hook, which lockstep never calls.
    /// </summary>
    static void RequireEpochEndObserver(ITrainingCallback callback, int member, int count)
    {
        string who = $"member {member + 1}/{count}'s callback {callback.GetType().Name}";
        if (callback.ChangesTraining)
            throw new NotSupportedException($"{who} changes training; lockstep runs only epoch-end observers (snapshots, evaluation). Train sequentially to use it.");
        var map = callback.GetType().GetInterfaceMap(typeof(ITrainingCallback));
        // A hook the callback's type does not implement maps to the interface's own (empty) default.
        var stepHooks = Enumerable.Range(0, map.InterfaceMethods.Length)
            .Where(i => map.InterfaceMethods[i].Name is nameof(ITrainingCallback.OnBeforeStep) or nameof(ITrainingCallback.OnStepEnd)
                && map.TargetMethods[i].DeclaringType != typeof(ITrainingCallback))
            .Select(i => map.InterfaceMethods[i].Name)
            .ToList();
        if (stepHooks.Count > 0)
            throw new NotSupportedException($"{who} has per-step hooks ({string.Join(", ", stepHooks)}), which a lockstep step cannot call for one member. Train sequentially to use it.");
    }

    /// <summary>
    /// Trains <paramref name="workers"/> groups of consecutive members at once, each with <see cref="FitGroup"/> on its own
    /// thread with one intra-op thread. A failing group stops the others at their next step (their checkpoints keep the
    /// last whole epoch); the first failure is rethrown once every group has stopped.
    /// </summary>
    IReadOnlyList<TrainingHistory> FitGroups(IReadOnlyList<nn.Module<Tensor, Tensor>> members, IReadOnlyList<ITrainingCallback?>? memberCallbacks,
        IReadOnlyList<IReadOnlyDictionary<string, Tensor>?>? memberMasks, TensorDataset data, int workers)
    {
        var o = Options;
        int count = members.Count;
        var progress = new SynchronizedProgress(o.Progress);
        var results = new IReadOnlyList<TrainingHistory>?[workers];
        var errors = new Exception?[workers];
        var threads = new List<Thread>();
        using var stop = new CancellationTokenSource();
        for (int g = 0; g < workers; g++)
        {
            int group = g, first = g * count / workers, end = (g + 1) * count / workers;
            var options = o with
            {
                Seed = o.Seed + first,
                Label = $"{o.Label}, members {first + 1}-{end}",
                Progress = progress,
                CheckpointPath = o.CheckpointPath is null ? null : GroupCheckpoint(o.CheckpointPath, group, workers, count),
            };
            var slice = members.Skip(first).Take(end - first).ToList();
            var callbacks = memberCallbacks?.Skip(first).Take(end - first).ToList();
            var masks = memberMasks?.Skip(first).Take(end - first).ToList();
            threads.Add(new Thread(() =>
            {
                try
                {
                    // Per thread (OpenMP's setting is the calling thread's): this group's ops run on its own core.
                    set_num_threads(1);
                    results[group] = FitGroup(slice, callbacks, masks, data, options, first, count, stop.Token);
                }
                catch (Exception e)
                {
                    errors[group] = e;
                    stop.Cancel();
                }
            }, 16 << 20)
            { Name = $"lockstep members {first + 1}-{end}", IsBackground = true });
        }
        int outerThreads = get_num_threads();
        try
        {
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
        }
        finally
        {
            set_num_threads(outerThreads);
        }
        // The groups stopped by another's failure report that stop, not a failure of their own.
        var failure = errors.FirstOrDefault(e => e is not null && !(e is OperationCanceledException c && c.CancellationToken == stop.Token));
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return results.SelectMany(r => r!).ToList();
    }

    /// <summary>
    /// One computation for <paramref name="members"/>, members <paramref name="first"/>.. of <paramref name="total"/>,
    /// with their epoch-end <paramref name="callbacks"/> and <paramref name="masks"/> (or none); <paramref name="stop"/> is
    /// checked before every step.
    /// </summary>
    IReadOnlyList<TrainingHistory> FitGroup(IReadOnlyList<nn.Module<Tensor, Tensor>> members, IReadOnlyList<ITrainingCallback?>? callbacks,
        IReadOnlyList<IReadOnlyDictionary<string, Tensor>?>? masks, TensorDataset data, TrainingOptions o, int first, int total, CancellationToken stop = default)
    {
        var device = data.Inputs.device;
        using var model = LockstepModels.Create(members);
        model.Kernels = Kernels;
        int count = model.Count;
        var parameters = model.parameters().ToList();
        using var optimizer = Trainer.CreateOptimizer(o, parameters);
        using var stackedMasks = StackedMasks.Of(model, masks, first);
        var histories = Enumerable.Range(0, count).Select(m => new TrainingHistory($"member {first + m + 1}/{total}")).ToList();
        int startEpoch = 0;
        // Fingerprinted before a checkpoint is loaded: a run resumes only from one written with the same settings.
        var settings = o.CheckpointPath is null ? null : Fingerprint(o, model, data, stackedMasks?.Describe(first));
        if (settings is not null && Checkpoint.Exists(o.CheckpointPath!))
            startEpoch = Checkpoint.Load(o.CheckpointPath!, settings, model, optimizer, histories);
        if (startEpoch > 0 && callbacks is not null)
        {
            model.WriteBack();
            for (int m = 0; m < count; m++) callbacks[m]?.OnResume(new TrainingContext(members[m], startEpoch, o.Epochs, histories[m]));
        }
        long n = data.Count;
        int steps = (int)((n + o.BatchSize - 1) / o.BatchSize);
        var sampleShape = data.Inputs.shape.Skip(1).ToArray();
        bool crossEntropy = ReferenceEquals(o.Loss, Losses.CrossEntropy);

        for (int epoch = startEpoch; epoch < o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var seeds = Enumerable.Range(0, count).Select(m => Trainer.EpochSeed(o.Seed + m, epoch)).ToArray();
            var dropoutStreams = seeds.Select(s => new Generator((ulong)(s ^ Trainer.DropoutSeedSalt))).ToList();
            var augmentStreams = o.Augment is null ? null : seeds.Select(s => new Generator((ulong)(s ^ Trainer.AugmentSeedSalt))).ToList();
            try
            {
                model.DropoutStreams = dropoutStreams;
                double epochRate = o.Schedule.Rate(epoch, o.Epochs, o.LearningRate);
                Trainer.SetRate(optimizer, epochRate);
                model.train();
                using var orders = MemberOrders(seeds, n, device);
                using var lossSum = zeros(count, dtype: ScalarType.Float64, device: device);
                int step = 0;
                for (long start = 0; start < n; start += o.BatchSize, step++)
                {
                    stop.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    long size = Math.Min(o.BatchSize, n - start);
                    if (o.Schedule.PerStep) Trainer.SetRate(optimizer, o.Schedule.Rate(epoch + (double)step / steps, o.Epochs, o.LearningRate));
                    var index = orders.narrow(1, start, size);
                    var flat = index.reshape(-1);
                    var inputs = data.Inputs.index_select(0, flat).view([count, size, .. sampleShape]);
                    var targets = data.Targets.index_select(0, flat).view(count, size);
                    if (augmentStreams is not null)
                        inputs = stack(Enumerable.Range(0, count).Select(m => o.Augment!.Apply(inputs[m], augmentStreams[m])).ToList(), 0);
                    optimizer.zero_grad();
                    var logits = model.forward(o.ModelInputs(inputs, imageRank: 5));
                    var memberLoss = crossEntropy
                        ? nn.functional.cross_entropy(logits.reshape(count * size, -1), targets.reshape(-1), reduction: nn.Reduction.None).view(count, size).mean([1])
                        : stack(Enumerable.Range(0, count).Select(m => o.Loss(logits[m], new Batch(inputs[m], targets[m], index[m]))).ToList(), 0);
                    // Member m's parameters get exactly the gradient of member m's own mean loss.
                    memberLoss.sum().backward();
                    stackedMasks?.MaskGradients();
                    optimizer.step();
                    stackedMasks?.Apply();
                    using (no_grad()) lossSum.add_(memberLoss.detach());
                }
                var meanLoss = lossSum.data<double>().Select(sum => sum / steps).ToArray();
                for (int m = 0; m < count; m++)
                {
                    if (double.IsNaN(meanLoss[m]) || double.IsInfinity(meanLoss[m]))
                        throw new ArithmeticException($"{o.Label}: member {first + m + 1}/{total}'s training loss became {meanLoss[m]} in epoch {epoch + 1}; lower the learning rate.");
                    histories[m].Add(new EpochRecord(epoch, meanLoss[m], epochRate, clock.Elapsed.TotalSeconds));
                }
                // As the sequential trainer does: the observers, then the checkpoint, then progress (a run stopped after a
                // report has its epoch on disk, and one stopped before the checkpoint redoes the epoch, observers and all).
                if (callbacks is not null) ShowMembers(model, members, callbacks, epoch, o.Epochs, histories);
                if (settings is not null) Checkpoint.Save(o.CheckpointPath!, settings, model, optimizer, histories, epoch + 1);
                o.Progress.Report(new ProgressUpdate(o.Label, epoch + 1, o.Epochs,
                    $"epoch {epoch + 1}: loss {string.Join(" ", meanLoss.Select(l => l.ToString("F4")))}, lr {epochRate:G3}, {clock.Elapsed.TotalSeconds:F1}s",
                    epoch + 1 == o.Epochs));
            }
            finally
            {
                model.DropoutStreams = null;
                foreach (var g in dropoutStreams) g.Dispose();
                foreach (var g in augmentStreams ?? []) g.Dispose();
            }
        }
        model.eval();
        model.WriteBack();
        foreach (var member in members) member.eval();
        return histories;
    }

    /// <summary>Writes the stacked weights back into the members and calls each member's epoch-end observer on it.</summary>
    static void ShowMembers(LockstepModel model, IReadOnlyList<nn.Module<Tensor, Tensor>> members, IReadOnlyList<ITrainingCallback?> callbacks,
        int epoch, int epochs, IReadOnlyList<TrainingHistory> histories)
    {
        model.WriteBack();
        for (int m = 0; m < members.Count; m++)
        {
            if (callbacks[m] is not { } callback) continue;
            members[m].train();
            callback.OnEpochEnd(new TrainingContext(members[m], epoch, epochs, histories[m]));
        }
    }

    /// <summary>
    /// The lockstep run's settings: those of <see cref="RunFingerprint.Of"/> for the stacked model, with a first line
    /// <c>trainer: lockstep, M members, seeds s..s+M-1</c> that no sequential run records, and, for masked members, a line
    /// <c>member masks</c> with what each keeps.
    /// </summary>
    internal static RunFingerprint Fingerprint(TrainingOptions o, LockstepModel model, TensorDataset data, string? masks = null)
    {
        var run = RunFingerprint.Of(o, model, data);
        var trainer = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"lockstep, {model.Count} member{(model.Count == 1 ? "" : "s")}, seeds {o.Seed}..{o.Seed + model.Count - 1}");
        KeyValuePair<string, string>[] masked = masks is null ? [] : [new("member masks", masks)];
        return new RunFingerprint([new("trainer", trainer), .. masked, .. run.Settings], run.Notes);
    }

    /// <summary>
    /// Each member's epoch order <c>[M, n]</c>: <c>randperm(n)</c> from a generator seeded with the member's epoch seed,
    /// exactly as <see cref="BatchLoader.Epoch"/> draws it for the sequential <see cref="Trainer"/>.
    /// </summary>
    static Tensor MemberOrders(long[] seeds, long n, Device device)
    {
        using var scope = NewDisposeScope();
        var orders = seeds.Select(s =>
        {
            using var generator = new Generator((ulong)s);
            return SeededDraws.Permutation(n, generator, device);
        }).ToList();
        return stack(orders, 0).MoveToOuterDisposeScope();
    }
}
