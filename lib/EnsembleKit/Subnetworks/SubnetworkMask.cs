using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// A binary subnetwork mask over some of a model's parameters (seed 002 §3.2.1, <c>Ŵ = W ∘ M</c>): per parameter name,
/// a float32 tensor of the parameter's shape holding 1 (kept / selected) or 0 (removed). Works with any
/// <c>nn.Module</c>, matching parameters by their <c>named_parameters()</c> names. The mask owns its tensors (held on
/// the CPU unless moved with <see cref="To"/>) and the device copies it makes when applied; dispose it when done.
/// Masks are immutable: every operation returns a new mask.
/// </summary>
public sealed class SubnetworkMask : IDisposable
{
    readonly List<string> _names;
    readonly Dictionary<string, Tensor> _masks;
    readonly Dictionary<(string, string, ScalarType), Tensor> _copies = [];
    readonly List<MaskCount> _counts;
    bool _disposed;

    SubnetworkMask(List<string> names, Dictionary<string, Tensor> masks)
    {
        _names = names;
        _masks = masks;
        foreach (var m in masks.Values) m.DetachFromDisposeScope();
        using var scope = NewDisposeScope();
        _counts = names.Select(n => new MaskCount(n, masks[n].count_nonzero().item<long>(), masks[n].numel())).ToList();
    }

    /// <summary>Masked parameter names, in the model's order.</summary>
    public IReadOnlyList<string> Names => _names;
    /// <summary>The mask of parameter <paramref name="name"/>: float32, the parameter's shape, 0/1. Owned by this object.</summary>
    public Tensor this[string name] => _masks.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"the mask has no entry '{name}'; it masks {string.Join(", ", _names)}.");
    public bool Contains(string name) => _masks.ContainsKey(name);
    /// <summary>Kept and total entries per masked tensor.</summary>
    public IReadOnlyList<MaskCount> Layers => _counts;
    /// <summary>Entries kept (mask 1) over all masked tensors.</summary>
    public long Kept => _counts.Sum(c => c.Kept);
    /// <summary>Entries in all masked tensors.</summary>
    public long Total => _counts.Sum(c => c.Total);
    /// <summary>Fraction of masked-tensor entries removed: <c>1 - Kept / Total</c>.</summary>
    public double Sparsity => Total == 0 ? 0 : 1 - (double)Kept / Total;
    public Device Device => _masks[_names[0]].device;

    /// <summary>
    /// Draws a mask for <paramref name="model"/> (see <see cref="MaskOptions"/> for which tensors and the exact count
    /// rule). Random masks use a CPU generator seeded with <paramref name="seed"/>, so the same seed gives the same mask;
    /// magnitude masks rank the model's current weights.
    /// </summary>
    public static SubnetworkMask Sample(nn.Module model, MaskOptions options, long seed)
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var selected = MaskMath.Select(model, options);
        var units = new Dictionary<string, Tensor>();
        var masks = new Dictionary<string, Tensor>();
        using Scalar sparsity = options.Sparsity;
        foreach (var (name, p) in selected)
        {
            if (options.Structure == MaskStructure.Structured && MaskMath.PairedRows(name, p, units) is { } rows)
            {
                masks[name] = rows.clone();
                continue;
            }
            long count = MaskMath.Units(p.shape, options.Structure);
            long pruned = MaskOptions.PrunedCount(count, options.Sparsity);
            Tensor unit;
            if (options.Criterion == MaskCriterion.Magnitude)
                unit = MaskMath.UnitMask(count, MaskMath.AscendingOrder(MaskMath.Scores(p, options.Structure)).narrow(0, 0, pruned));
            else if (options.Sampling == MaskSampling.Bernoulli)
                unit = rand(count, generator: generator, dtype: ScalarType.Float64).ge(sparsity).to(ScalarType.Float32);
            else
                unit = MaskMath.UnitMask(count, randperm(count, generator: generator).narrow(0, 0, pruned));
            units[name] = unit;
            masks[name] = MaskMath.Expand(unit, p.shape, options.Structure);
        }
        return Own(model, masks);
    }

    /// <summary>A mask keeping everything, over the tensors <paramref name="options"/> selects (weights by default).</summary>
    public static SubnetworkMask Ones(nn.Module model, MaskOptions? options = null)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var masks = MaskMath.Select(model, options ?? new MaskOptions())
            .ToDictionary(np => np.Name, np => ones(np.Parameter.shape, dtype: ScalarType.Float32));
        return Own(model, masks);
    }

    /// <summary>
    /// A mask from given tensors (copied to float32 on the CPU), keyed by parameter name. Every value must be 0 or 1;
    /// if <paramref name="model"/> is given, names and shapes are checked against it.
    /// </summary>
    public static SubnetworkMask FromTensors(IReadOnlyDictionary<string, Tensor> masks, nn.Module? model = null)
    {
        TorchRuntime.EnsureInitialized();
        if (masks.Count == 0) throw new ArgumentException("a mask needs at least one tensor.", nameof(masks));
        using var scope = NewDisposeScope();
        var copies = new Dictionary<string, Tensor>();
        using Scalar zero = 0, one = 1;
        foreach (var (name, t) in masks)
        {
            var c = t.detach().to(ScalarType.Float32).cpu().clone();
            if (c.ne(zero).logical_and(c.ne(one)).any().item<bool>())
                throw new ArgumentException($"mask '{name}' holds values other than 0 and 1.", nameof(masks));
            copies[name] = c;
        }
        if (model is null) return new SubnetworkMask(masks.Keys.ToList(), copies);
        var result = Own(model, copies);
        result.Resolve(model).ToList();   // checks every name and shape
        return result;
    }

    /// <summary>Takes ownership of <paramref name="masks"/>, ordering names as the model's parameters.</summary>
    internal static SubnetworkMask Own(nn.Module model, Dictionary<string, Tensor> masks)
    {
        var order = model.named_parameters().Select(np => np.name).Where(masks.ContainsKey).ToList();
        order.AddRange(masks.Keys.Where(k => !order.Contains(k)));
        return new SubnetworkMask(order, masks);
    }

    internal static SubnetworkMask Own(IEnumerable<string> names, Dictionary<string, Tensor> masks) => new(names.ToList(), masks);

    /// <summary>The anti-mask <c>M′ = 1 − M</c> (Neural Partitioning of two, seed 002 eq. 3.10).</summary>
    public SubnetworkMask Complement()
    {
        using Scalar one = 1;
        return Map(m => m.neg().add_(one));
    }

    /// <summary>An independent copy.</summary>
    public SubnetworkMask Clone() => Map(m => m.clone());

    /// <summary>A copy held on <paramref name="device"/>.</summary>
    public SubnetworkMask To(Device device) => Map(m => m.to(device).clone());

    SubnetworkMask Map(Func<Tensor, Tensor> f)
    {
        ThrowIfDisposed();
        using var scope = NewDisposeScope();
        return new SubnetworkMask(_names.ToList(), _names.ToDictionary(n => n, n => f(_masks[n])));
    }

    /// <summary>Zeroes the removed weights of <paramref name="model"/> in place: <c>W ← W ∘ M</c> (no gradient recorded).</summary>
    public void ApplyTo(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, p) in Resolve(model)) p.mul_(On(name, p));
    }

    /// <summary>
    /// Zeroes the gradients of the removed weights: <c>∇W ← ∇W ∘ M</c>. Called between backward and the optimiser step,
    /// it keeps momentum buffers (and Adam's moments) at zero in removed positions. Parameters without a gradient are skipped.
    /// </summary>
    public void MaskGradients(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, p) in Resolve(model))
        {
            var grad = p.grad;
            if (grad is not null) grad.mul_(On(name, p));
        }
    }

    /// <summary>True when every removed entry of <paramref name="model"/>'s masked parameters is exactly zero.</summary>
    public bool IsAppliedTo(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using Scalar zero = 0, one = 1;
        return Resolve(model).All(np => !np.Parameter.detach().mul(On(np.Name, np.Parameter).neg().add(one)).ne(zero).any().item<bool>());
    }

    /// <summary>The model's parameters this mask covers, checking names and shapes.</summary>
    internal IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> Resolve(nn.Module model)
    {
        ThrowIfDisposed();
        var parameters = model.named_parameters().ToDictionary(np => np.name, np => np.parameter);
        foreach (var name in _names)
        {
            if (!parameters.TryGetValue(name, out var p))
                throw new ArgumentException($"the mask has an entry '{name}' but the model has no such parameter (it has {string.Join(", ", parameters.Keys)}).", nameof(model));
            var mask = _masks[name];
            if (!p.shape.SequenceEqual(mask.shape))
                throw new ArgumentException($"mask '{name}' is {MaskMath.Shape(mask.shape)} but the model's parameter is {MaskMath.Shape(p.shape)}.", nameof(model));
            yield return (name, p);
        }
    }

    /// <summary>The mask of <paramref name="name"/> on <paramref name="like"/>'s device and dtype (cached copy, owned here).</summary>
    internal Tensor On(string name, Tensor like)
    {
        var mask = _masks[name];
        if (mask.device == like.device && mask.dtype == like.dtype) return mask;
        var key = (name, like.device.ToString(), like.dtype);
        if (!_copies.TryGetValue(key, out var copy))
        {
            copy = mask.to(like.dtype, like.device).DetachFromDisposeScope();
            _copies[key] = copy;
        }
        return copy;
    }

    void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var m in _masks.Values) m.Dispose();
        foreach (var c in _copies.Values) c.Dispose();
        _copies.Clear();
    }

    public override string ToString() => $"SubnetworkMask: {_names.Count} tensors, {Kept:N0} of {Total:N0} entries kept (sparsity {Sparsity:P1})";
}
