using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Prunes a model in place to a subnetwork while tuning it with the <see cref="Trainer"/>, by any
/// <see cref="PruningMethod"/> (seed 002 Table 6.1 compares them on single subnetworks). Afterwards the model's removed
/// weights are exactly zero. If the tuning is shorter than the annealing, the model is pruned to the target at the end.
/// Stochastic annealing cannot resume from checkpoints (its annealing clock is not saved), so CheckpointPath must be unset.
/// </summary>
public static class SubnetworkTuning
{
    /// <summary>
    /// Draws the subnetwork with <paramref name="mask"/> (random or magnitude; magnitude ranks the current weights) and
    /// tunes towards it. Random annealing draws its own target and needs a random criterion.
    /// </summary>
    public static SubnetworkTuningResult Tune(nn.Module<Tensor, Tensor> model, TensorDataset train, TrainingOptions training,
        MaskOptions mask, SubnetworkTuningOptions tuning, long seed)
    {
        TorchRuntime.EnsureInitialized();
        mask.Validate();
        tuning.Validate();
        switch (tuning.Method)
        {
            case PruningMethod.Iterative:
                {
                    using var pruning = new IterativePruning(model, mask, tuning.Epochs, seed);
                    var history = new Trainer(training with { Callbacks = [.. training.Callbacks, pruning] }).Fit(model, train);
                    return new SubnetworkTuningResult(history, pruning.Current.Clone());
                }
            case PruningMethod.RandomAnnealing:
                {
                    using var plan = StochasticMask.Random(model, mask, tuning.Schedule, seed);
                    return Tune(model, plan, train, training, SeedMix.Of(seed, 1));
                }
            default:
                {
                    using var target = SubnetworkMask.Sample(model, mask, seed);
                    return Tune(model, target, train, training, tuning, seed);
                }
        }
    }

    /// <summary>Tunes towards a given <paramref name="target"/> (e.g. a random or Neural Partitioning mask); the target is copied.</summary>
    public static SubnetworkTuningResult Tune(nn.Module<Tensor, Tensor> model, SubnetworkMask target, TensorDataset train, TrainingOptions training,
        SubnetworkTuningOptions tuning, long seed)
    {
        TorchRuntime.EnsureInitialized();
        tuning.Validate();
        switch (tuning.Method)
        {
            case PruningMethod.OneShot:
                {
                    target.ApplyTo(model);
                    var history = new Trainer(training with { Callbacks = [.. training.Callbacks, new MaskEnforcer(target)] }).Fit(model, train);
                    return new SubnetworkTuningResult(history, target.Clone());
                }
            case PruningMethod.Iterative:
                {
                    using var pruning = new IterativePruning(model, new MaskOptions(), tuning.Epochs, seed, target);
                    var history = new Trainer(training with { Callbacks = [.. training.Callbacks, pruning] }).Fit(model, train);
                    return new SubnetworkTuningResult(history, pruning.Current.Clone());
                }
            case PruningMethod.RandomAnnealing:
                {
                    using var plan = StochasticMask.Random(target, tuning.Schedule, SeedMix.Of(seed, 2));
                    return Tune(model, plan, train, training, SeedMix.Of(seed, 1));
                }
            case PruningMethod.TemperatureAnnealing:
                {
                    using var plan = StochasticMask.Temperature(target, tuning.InitialTemperature, tuning.Schedule, tuning.SymmetricTemperature);
                    return Tune(model, plan, train, training, SeedMix.Of(seed, 1));
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(tuning), $"unknown pruning method {tuning.Method}.");
        }
    }

    /// <summary>Tunes with stochastic annealing along <paramref name="plan"/> (Algorithm 3's inner loop); <paramref name="seed"/> seeds the Bernoulli draws.</summary>
    public static SubnetworkTuningResult Tune(nn.Module<Tensor, Tensor> model, StochasticMask plan, TensorDataset train, TrainingOptions training, long seed)
    {
        TorchRuntime.EnsureInitialized();
        if (training.CheckpointPath is not null)
            throw new ArgumentException("stochastic annealing cannot resume from checkpoints; leave CheckpointPath unset.", nameof(training));
        var wrapper = new StochasticSubnetwork(model, plan, seed);
        try
        {
            var history = new Trainer(training with { Callbacks = [.. training.Callbacks, wrapper] }).Fit(wrapper, train);
            wrapper.Release();
            return new SubnetworkTuningResult(history, plan.Target.Clone());
        }
        finally
        {
            if (!wrapper.IsAnnealed) wrapper.Release();
            wrapper.Dispose();
        }
    }
}
