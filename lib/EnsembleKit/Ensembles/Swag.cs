using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// SWA-Gaussian (Maddox et al. 2019, "A Simple Baseline for Bayesian Uncertainty in Deep Learning"): train with the SWA
/// schedule (<see cref="SwaSchedule"/>) and, as the paper does, collect the weights at the end of every epoch from the
/// schedule's start epoch into <see cref="SwagMoments"/> (first and second moments, last K deviations); the fitted
/// Gaussian N(θ̄, scale·(Σ_diag + D̂ᵀD̂/(K − 1))) is sampled by <see cref="SwagPosterior{TModel}"/>, each sample with its
/// batch-norm statistics recomputed.
/// </summary>
public static class Swag
{
    /// <summary>
    /// Trains <paramref name="model"/> in place with <paramref name="options"/> under <paramref name="schedule"/> and returns
    /// the posterior over the iterates collected after each epoch from <see cref="SwaSchedule.StartEpoch"/> on; K =
    /// <paramref name="rank"/> (default 20, the paper's) deviations are kept, 0 keeps none (SWAG-diagonal only).
    /// <paramref name="create"/> builds the architecture for the samples. The model ends as the last SGD iterate.
    /// The moments live in memory only: a run resumed from a checkpoint (<see cref="TrainingOptions.CheckpointPath"/>)
    /// after collection began is refused (<see cref="CheckpointDamagedException"/>) rather than fitted to fewer epochs.
    /// </summary>
    public static SwagPosterior<TModel> Train<TModel>(TModel model, Func<TModel> create, TensorDataset train, TrainingOptions options,
        SwaSchedule schedule, int rank = 20) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(schedule);
        TorchRuntime.EnsureInitialized();
        int start = schedule.StartEpoch(options.Epochs);
        if (start >= options.Epochs)
            throw new ArgumentException($"SWAG would start collecting at epoch {start + 1} of {options.Epochs}: nothing to collect.", nameof(schedule));
        var moments = new SwagMoments(rank);
        try
        {
            var collector = new Collector(moments, start, options.CheckpointPath);
            var history = new Trainer(options with { Schedule = schedule, Callbacks = [.. options.Callbacks, collector] }).Fit(model, train);
            return new SwagPosterior<TModel>(moments, create, history);
        }
        catch
        {
            moments.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds the model's parameters to the moments at the end of every epoch from the start epoch on. The moments live in
    /// memory only: a run resumed from its checkpoint after collection began is refused rather than fitted to fewer epochs.
    /// </summary>
    sealed class Collector(SwagMoments moments, int startEpoch, string? checkpoint) : ITrainingCallback
    {
        /// <summary>Only observes: a checkpoint does not record it.</summary>
        public bool ChangesTraining => false;

        public void OnEpochEnd(TrainingContext context)
        {
            if (context.Epoch < startEpoch) return;
            moments.Collect(context.Model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        }

        public void OnResume(TrainingContext context)
        {
            if (context.Epoch > startEpoch)
                throw CheckpointDamagedException.GatheredStateLost(checkpoint, context.Epoch,
                    $"SWAG's moments of epochs {startEpoch + 1}-{context.Epoch} are kept in memory only, so the posterior would be fitted to fewer epochs.");
        }
    }
}
