using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// A probability mask P annealed towards a binary target subnetwork M (seed 002 ch. 6). P is the probability that a
/// weight is <b>kept</b> on a forward pass (seed-spec §5 item 4: §3.2.3 says retained, §6.2 says masked; only "kept"
/// fits the annealing rules). At time t (epochs), with <c>r = Schedule.Remaining(t)</c>:
/// <list type="bullet">
/// <item><b>Temperature annealing</b> (§6.2.2, the variant of all the seed's experiments): <c>P = M + τ(t)(1 − M)</c>,
/// <c>τ(t) = τ₀ r</c>: the target is always on, removed weights "pop back in" with probability τ. The symmetric form lowers
/// the target entries too: <c>P = M(1 − τ) + (1 − M)τ</c>.</item>
/// <item><b>Random annealing</b> (§6.2.1): <c>P₀ ~ U[0, 1]</c>; entries below the sparsity go to 0, the others to 1:
/// <c>P = M + (P₀ − M) r</c> (linear in the seed).</item>
/// </list>
/// From t = Schedule.Epochs on P = M. Holds its target and start probabilities on the CPU and owns them.
/// </summary>
public sealed class StochasticMask : IDisposable
{
    readonly Dictionary<string, Tensor>? _start;

    StochasticMask(SubnetworkMask target, AnnealingSchedule schedule, double temperature, bool symmetric, Dictionary<string, Tensor>? start)
    {
        schedule.Validate();
        Target = target;
        Schedule = schedule;
        InitialTemperature = temperature;
        Symmetric = symmetric;
        _start = start;
        if (start is not null)
            foreach (var t in start.Values) t.DetachFromDisposeScope();
    }

    /// <summary>The binary subnetwork reached at the end of annealing (owned).</summary>
    public SubnetworkMask Target { get; }
    public AnnealingSchedule Schedule { get; }
    /// <summary>τ₀ for temperature annealing; NaN for random annealing.</summary>
    public double InitialTemperature { get; }
    public bool Symmetric { get; }
    public bool IsRandomAnnealing => _start is not null;

    /// <summary>Temperature annealing towards a copy of <paramref name="target"/> from temperature τ₀ in [0, 1].</summary>
    public static StochasticMask Temperature(SubnetworkMask target, double initialTemperature, AnnealingSchedule schedule, bool symmetric = false)
    {
        if (!(initialTemperature >= 0 && initialTemperature <= 1))
            throw new ArgumentOutOfRangeException(nameof(initialTemperature), $"the initial temperature is a probability in [0, 1]; got {initialTemperature}.");
        return new StochasticMask(target.Clone(), schedule, initialTemperature, symmetric, null);
    }

    /// <summary>
    /// Random annealing as in seed 002 §6.2.1: <c>P₀ ~ U[0, 1]</c> per unit (entry, or row when structured); the
    /// <see cref="MaskOptions.PrunedCount"/> units of smallest P₀ in each tensor form the removed part of the target, which
    /// is the "below the target sparsity" rule with the kit's exact count. The criterion must be random.
    /// </summary>
    public static StochasticMask Random(nn.Module model, MaskOptions options, AnnealingSchedule schedule, long seed)
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        if (options.Criterion != MaskCriterion.Random)
            throw new ArgumentException("random annealing draws its own random target; use temperature annealing for magnitude targets (seed 002 Table 6.1).", nameof(options));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var units = new Dictionary<string, Tensor>();
        var startUnits = new Dictionary<string, Tensor>();
        var masks = new Dictionary<string, Tensor>();
        var start = new Dictionary<string, Tensor>();
        foreach (var (name, p) in MaskMath.Select(model, options))
        {
            if (options.Structure == MaskStructure.Structured && MaskMath.PairedRows(name, p, units) is { } rows)
            {
                masks[name] = rows.clone();
                start[name] = startUnits[name[..^4] + "weight"].clone();
                continue;
            }
            long count = MaskMath.Units(p.shape, options.Structure);
            var p0 = rand(count, generator: generator, dtype: ScalarType.Float32);
            var unit = MaskMath.UnitMask(count, MaskMath.AscendingOrder(p0).narrow(0, 0, MaskOptions.PrunedCount(count, options.Sparsity)));
            units[name] = unit;
            startUnits[name] = p0;
            masks[name] = MaskMath.Expand(unit, p.shape, options.Structure);
            start[name] = MaskMath.Expand(p0, p.shape, options.Structure);
        }
        return new StochasticMask(SubnetworkMask.Own(model, masks), schedule, double.NaN, false, start);
    }

    /// <summary>
    /// Random annealing towards a given target (e.g. a Neural Partitioning part): P₀ is drawn per entry conditionally on
    /// the target, uniform on <c>[s, 1)</c> for kept and on <c>[0, s)</c> for removed entries, <c>s</c> the tensor's sparsity
    /// in the target, which is the distribution the threshold rule gives.
    /// </summary>
    public static StochasticMask Random(SubnetworkMask target, AnnealingSchedule schedule, long seed)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var start = new Dictionary<string, Tensor>();
        using Scalar one = 1;
        foreach (var count in target.Layers)
        {
            var m = target[count.Name];
            float s = (float)count.Sparsity;
            var u = rand(m.shape, generator: generator, dtype: ScalarType.Float32);
            using Scalar keptSpan = 1 - s, sparsity = s;
            start[count.Name] = m.mul(u.mul(keptSpan).add(sparsity)).add(m.neg().add(one).mul(u.mul(sparsity)));
        }
        return new StochasticMask(target.Clone(), schedule, double.NaN, false, start);
    }

    /// <summary>
    /// The Neural Partitioning sibling (seed 002 §6.2, <c>P′ = 1 − P</c>): target <c>1 − M</c>; random annealing starts from
    /// <c>1 − P₀</c>, temperature annealing uses the same τ₀.
    /// </summary>
    public StochasticMask Complement()
    {
        using var scope = NewDisposeScope();
        using Scalar one = 1;
        var start = _start?.ToDictionary(kv => kv.Key, kv => kv.Value.neg().add(one));
        return new StochasticMask(Target.Complement(), Schedule, InitialTemperature, Symmetric, start);
    }

    /// <summary>True when P = M at time <paramref name="t"/> (the annealing is over).</summary>
    public bool IsDeterministicAt(double t) => Schedule.Remaining(t) == 0;

    /// <summary>The keep probabilities of parameter <paramref name="name"/> at time <paramref name="t"/>: float32, CPU, a new tensor the caller owns.</summary>
    public Tensor Probabilities(string name, double t)
    {
        using var scope = NewDisposeScope();
        var m = Target[name];
        double r = Schedule.Remaining(t);
        using Scalar zero = 0, one = 1;
        Tensor p;
        if (_start is not null)
        {
            using Scalar remaining = r;
            p = m.add(_start[name].sub(m).mul(remaining));
        }
        else
        {
            double tau = InitialTemperature * r;
            using Scalar keep = 1 - tau, temperature = tau;
            p = Symmetric ? m.mul(keep).add(m.neg().add(one).mul(temperature)) : m.add(m.neg().add(one).mul(temperature));
        }
        return p.clamp(zero, one).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Target.Dispose();
        if (_start is not null)
            foreach (var t in _start.Values) t.Dispose();
    }
}
