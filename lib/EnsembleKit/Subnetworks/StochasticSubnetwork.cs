using EnsembleKit.Backend;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// A model whose masked weights are multiplied by a fresh <c>B ~ Bernoulli(P)</c> on every training forward pass
/// (seed 002 ch. 6, Algorithm 3: <c>f̂.w ← f.w ∘ Bernoulli(P)</c>, no 1/p rescaling), P from a <see cref="StochasticMask"/>
/// annealed epoch by epoch (or step by step) until it equals the target M; from then on the wrapped model is an ordinary
/// pruned network whose removed weights are exactly zero and stay frozen.
/// <para>Use it as the model <b>and</b> as a callback of the <see cref="Trainer"/>:
/// <c>trainer with { Callbacks = [.., wrapper] }.Fit(wrapper, data)</c>. A training forward pass stores the dense weights
/// and writes <c>W ∘ B</c> into the model; after backward the callback multiplies the gradients by B (so only the
/// weights active in that pass receive gradient, as with <c>W ∘ B</c> inside the graph) and writes the dense weights
/// back, so the optimiser updates the underlying dense weights. In eval mode the forward pass uses the target,
/// <c>W ∘ M</c>, and restores the dense weights afterwards.</para>
/// <para><see cref="Release"/> ends the annealing (prunes to M) and hands back the wrapped model. The wrapper owns neither
/// the wrapped model nor the <see cref="StochasticMask"/>: disposing it restores any pending dense weights and frees
/// only its own sampling state.</para>
/// </summary>
public sealed class StochasticSubnetwork : nn.Module<Tensor, Tensor>, ITrainingCallback
{
    readonly nn.Module<Tensor, Tensor> inner;
    readonly StochasticMask _plan;
    readonly Dictionary<string, Tensor> _probabilities = [];
    readonly List<(TorchSharp.Modules.Parameter Parameter, Tensor Dense, Tensor? Sample)> _pending = [];
    // Draws are made on the CPU (SeededDraws), so one CPU generator serves every device and a seed gives the same masks on each.
    Generator? _generator;
    bool _probabilitiesStale = true;
    bool _released;

    /// <param name="inner">The model to tune; its parameter names must match the plan's target.</param>
    /// <param name="plan">Start probabilities, schedule and target.</param>
    /// <param name="seed">Seeds the Bernoulli draws.</param>
    public StochasticSubnetwork(nn.Module<Tensor, Tensor> inner, StochasticMask plan, long seed) : base("StochasticSubnetwork")
    {
        this.inner = inner;
        _plan = plan;
        _ = plan.Target.Resolve(inner).ToList();   // names and shapes must match
        _generator = new Generator((ulong)seed);
        RegisterComponents();
        SetTime(0);
    }

    public nn.Module<Tensor, Tensor> Inner => inner;
    public StochasticMask Plan => _plan;
    /// <summary>Annealing time in epochs (fractional with per-step annealing).</summary>
    public double Time { get; private set; }
    /// <summary>True once P = M: the wrapped model is pruned to the target and no longer stochastic.</summary>
    public bool IsAnnealed { get; private set; }

    public override Tensor forward(Tensor input)
    {
        if (_released) throw new InvalidOperationException("this StochasticSubnetwork was released; use the model Release() returned.");
        if (IsAnnealed) return inner.forward(input);
        if (_pending.Count > 0)
        {
            Restore(maskGradients: false);
            throw new InvalidOperationException(
                "a second training forward pass before the optimiser step: add the StochasticSubnetwork to TrainingOptions.Callbacks " +
                "(it restores the dense weights after backward), and call forward once per step.");
        }
        if (training)
        {
            Swap(sample: true);
            return inner.forward(input);
        }
        Swap(sample: false);
        try
        {
            return inner.forward(input);
        }
        finally
        {
            Restore(maskGradients: false);
        }
    }

    /// <summary>Writes <c>W ∘ B</c> (B sampled) or <c>W ∘ M</c> into the model, remembering the dense weights.</summary>
    void Swap(bool sample)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (sample) RefreshProbabilities();
        foreach (var (name, p) in _plan.Target.Resolve(inner))
        {
            Tensor keep = sample ? SeededDraws.Bernoulli(_probabilities[name], _generator!) : _plan.Target.On(name, p);
            var dense = p.detach().clone();
            p.mul_(keep);
            _pending.Add((p, dense.DetachFromDisposeScope(), sample ? keep.DetachFromDisposeScope() : null));
        }
    }

    /// <summary>Puts the dense weights back; with <paramref name="maskGradients"/> first multiplies the gradients by the sample.</summary>
    void Restore(bool maskGradients)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (p, dense, sample) in _pending)
        {
            if (maskGradients && sample is not null && p.grad is { } grad) grad.mul_(sample);
            p.copy_(dense);
            dense.Dispose();
            sample?.Dispose();
        }
        _pending.Clear();
    }

    void RefreshProbabilities()
    {
        if (!_probabilitiesStale) return;
        DisposeProbabilities();
        foreach (var (name, p) in _plan.Target.Resolve(inner))
        {
            using var cpu = _plan.Probabilities(name, Time);
            _probabilities[name] = cpu.to(p.dtype, p.device).DetachFromDisposeScope();
        }
        _probabilitiesStale = false;
    }

    /// <summary>Moves the annealing clock to <paramref name="time"/> epochs; at the end of the schedule prunes to the target.</summary>
    public void SetTime(double time)
    {
        Time = time;
        if (IsAnnealed) return;
        if (_plan.IsDeterministicAt(time)) Finish();
        else _probabilitiesStale = true;
    }

    void Finish()
    {
        Restore(maskGradients: false);
        _plan.Target.ApplyTo(inner);
        IsAnnealed = true;
        DisposeProbabilities();
    }

    public void OnBeforeStep(TrainingContext context)
    {
        if (IsAnnealed) _plan.Target.MaskGradients(inner);
        else Restore(maskGradients: true);
    }

    public void OnStepEnd(TrainingContext context)
    {
        if (IsAnnealed) _plan.Target.ApplyTo(inner);
        else if (_plan.Schedule.PerStep && context.StepsPerEpoch > 0) SetTime(context.Epoch + (context.Step + 1.0) / context.StepsPerEpoch);
    }

    public void OnEpochEnd(TrainingContext context) => SetTime(context.Epoch + 1);

    /// <summary>Ends the annealing (the model is pruned to the target) and returns the wrapped model; the wrapper can no longer be used.</summary>
    public nn.Module<Tensor, Tensor> Release()
    {
        if (!IsAnnealed) Finish();
        _released = true;
        return inner;
    }

    void DisposeProbabilities()
    {
        foreach (var t in _probabilities.Values) t.Dispose();
        _probabilities.Clear();
        _probabilitiesStale = true;
    }

    /// <summary>
    /// Frees the sampling state. The base class would dispose the registered wrapped model too, so it is not called; the
    /// wrapper's own native handle is released by its finaliser.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        if (!_released) Restore(maskGradients: false);
        DisposeProbabilities();
        _generator?.Dispose();
        _generator = null;
    }
}
