using EnsembleKit.Backend;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Iterative pruning, the baseline of seed 002 Table 6.1: at the start of each of <see cref="PruningEpochs"/> epochs,
/// remove enough units that the target sparsity is reached at the start of the last of them. The seed does not give the
/// increments [not in seed: equal steps, after pruning event j (0-based) a tensor has lost
/// <c>round(final · (j + 1) / ε)</c> units, <c>final</c> its exact-count target]. Random pruning removes the units of one
/// random order fixed at construction; magnitude (L1) pruning removes, at each event, the smallest-magnitude units among
/// those still kept (current weights). With a <c>target</c> mask, its removed entries are taken away in random order
/// (entry by entry), ending exactly at the target. Between events the current mask is enforced like
/// <see cref="MaskEnforcer"/>. The first event happens in the constructor (the model is pruned then). Owns its masks.
/// </summary>
public sealed class IterativePruning : ITrainingCallback, IDisposable
{
    readonly nn.Module _model;
    readonly MaskOptions _options;
    readonly List<(string Name, long[] Shape, long Units, long Final)> _tensors = [];
    readonly Dictionary<string, Tensor> _orders = [];   // random order of units (int64), for random / target pruning

    public IterativePruning(nn.Module model, MaskOptions final, int pruningEpochs, long seed, SubnetworkMask? target = null)
    {
        TorchRuntime.EnsureInitialized();
        final.Validate();
        if (pruningEpochs < 1) throw new ArgumentOutOfRangeException(nameof(pruningEpochs), $"iterative pruning needs at least one pruning epoch; got {pruningEpochs}.");
        _model = model;
        _options = target is null ? final : final with { Structure = MaskStructure.Unstructured, Criterion = MaskCriterion.Random };
        PruningEpochs = pruningEpochs;
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var selected = target is null
            ? MaskMath.Select(model, _options).Select(np => (np.Name, np.Parameter.shape)).ToList()
            : target.Resolve(model).Select(np => (np.Name, np.Parameter.shape)).ToList();
        using Scalar zero = 0;
        foreach (var (name, shape) in selected)
        {
            long units = MaskMath.Units(shape, _options.Structure);
            if (target is not null)
            {
                var removed = target[name].flatten().eq(zero).nonzero().flatten();
                _orders[name] = removed.index_select(0, randperm(removed.shape[0], generator: generator)).DetachFromDisposeScope();
                _tensors.Add((name, shape, units, removed.shape[0]));
            }
            else
            {
                if (_options.Criterion == MaskCriterion.Random) _orders[name] = randperm(units, generator: generator).DetachFromDisposeScope();
                _tensors.Add((name, shape, units, MaskOptions.PrunedCount(units, _options.Sparsity)));
            }
        }
        Current = Prune(0);
        Current.ApplyTo(model);
    }

    public int PruningEpochs { get; }
    /// <summary>The mask in force now (owned by this object; <see cref="SubnetworkMask.Clone"/> it to keep it).</summary>
    public SubnetworkMask Current { get; private set; }
    /// <summary>Pruning events done so far (1 after construction, <see cref="PruningEpochs"/> at the end).</summary>
    public int Events { get; private set; } = 1;

    SubnetworkMask Prune(int step)
    {
        using var scope = NewDisposeScope();
        var parameters = _model.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        var units = new Dictionary<string, Tensor>();
        var masks = new Dictionary<string, Tensor>();
        using Scalar zero = 0, removedScore = -1.0;
        foreach (var (name, shape, count, final) in _tensors)
        {
            var p = parameters[name];
            if (_options.Structure == MaskStructure.Structured && MaskMath.PairedRows(name, p, units) is { } rows)
            {
                masks[name] = rows.clone();
                continue;
            }
            long removeNow = (long)Math.Round(final * (step + 1.0) / PruningEpochs, MidpointRounding.AwayFromZero);
            Tensor order;
            if (_orders.TryGetValue(name, out var fixedOrder)) order = fixedOrder;
            else
            {
                var scores = MaskMath.Scores(p, _options.Structure);
                if (Current is not null)
                {
                    var kept = Current[name].flatten();
                    if (_options.Structure == MaskStructure.Structured) kept = Current[name].reshape(shape[0], -1).select(1, 0);
                    scores = scores.masked_fill(kept.eq(zero), removedScore);
                }
                order = MaskMath.AscendingOrder(scores);
            }
            var unit = MaskMath.UnitMask(count, order.narrow(0, 0, removeNow));
            units[name] = unit;
            masks[name] = MaskMath.Expand(unit, shape, _options.Structure);
        }
        return SubnetworkMask.Own(_model, masks);
    }

    public void OnBeforeStep(TrainingContext context) => Current.MaskGradients(context.Model);

    public void OnStepEnd(TrainingContext context) => Current.ApplyTo(context.Model);

    public void OnEpochEnd(TrainingContext context)
    {
        if (Events >= PruningEpochs) return;
        var next = Prune(Events);
        Current.Dispose();
        Current = next;
        Current.ApplyTo(context.Model);
        Events++;
    }

    public void Dispose()
    {
        Current.Dispose();
        foreach (var o in _orders.Values) o.Dispose();
        _orders.Clear();
    }
}
