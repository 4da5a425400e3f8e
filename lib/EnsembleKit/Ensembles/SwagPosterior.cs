using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The Gaussian SWAG fits to the SGD iterates (<see cref="Swag.Train{TModel}"/>): mean θ̄, diagonal Σ_diag and deviation
/// matrix D̂ (<see cref="Moments"/>, on the CPU), plus the factory for the architecture, so that samples become models.
/// Owns its moments; disposing it frees them. Ensembles drawn from it own their models and outlive it.
/// </summary>
public sealed class SwagPosterior<TModel> : IDisposable where TModel : nn.Module<Tensor, Tensor>
{
    readonly Func<TModel> create;

    public SwagPosterior(SwagMoments moments, Func<TModel> create, TrainingHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ArgumentNullException.ThrowIfNull(create);
        if (moments.Count == 0) throw new ArgumentException("the moments hold no iterates.", nameof(moments));
        Moments = moments;
        this.create = create;
        History = history;
    }

    public SwagMoments Moments { get; }

    /// <summary>The training run that produced the iterates, when there was one.</summary>
    public TrainingHistory? History { get; }

    /// <summary>
    /// One model holding the draw <c>θ = θ̄ + √scale (Σ_diag^{1/2} z₁ + D̂ᵀ z₂/√(K − 1))</c> (<see cref="SwagMoments.Sample"/>;
    /// without the D̂ term when <paramref name="diagonal"/>), drawn from a CPU generator seeded <paramref name="seed"/>,
    /// with batch-norm statistics recomputed on <paramref name="train"/> (<see cref="BatchNormRecalibration.Recompute"/>),
    /// in eval mode on <paramref name="train"/>'s device. The caller owns it.
    /// </summary>
    public TModel Sample(long seed, TensorDataset train, double scale = 0.5, bool diagonal = false)
    {
        ArgumentNullException.ThrowIfNull(train);
        using var generator = new Generator((ulong)seed, CPU);
        var model = create();
        try
        {
            using (var scope = NewDisposeScope())
            {
                var theta = Moments.Sample(generator, scale, diagonal);
                LoadParameters(model, theta);
            }
            model.to(train.Inputs.device);
            BatchNormRecalibration.Recompute(model, train);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A model holding θ̄ (the SWA solution), batch-norm statistics recomputed on <paramref name="train"/>.</summary>
    public TModel MeanModel(TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        var model = create();
        using (NewDisposeScope()) LoadParameters(model, Moments.Mean);   // the views and copy_ handles of the load
        model.to(train.Inputs.device);
        BatchNormRecalibration.Recompute(model, train);
        model.eval();
        return model;
    }

    /// <summary>
    /// <paramref name="samples"/> draws as an <see cref="IEnsemble"/> (method "SWAG", or "SWAG-diagonal"); sample s is
    /// <see cref="Sample"/> with seed <c>seed + s</c>, so the members are reproducible one by one.
    /// </summary>
    public SwagEnsemble ToEnsemble(int samples, long seed, TensorDataset train, double scale = 0.5, bool diagonal = false,
        CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        if (!(scale >= 0) || double.IsInfinity(scale)) throw new ArgumentOutOfRangeException(nameof(scale), $"scale must be finite and non-negative; got {scale}.");
        var models = new List<nn.Module<Tensor, Tensor>>();
        try
        {
            for (int s = 0; s < samples; s++) models.Add(Sample(seed + s, train, scale, diagonal));
        }
        catch
        {
            foreach (var m in models) m.Dispose();
            throw;
        }
        return new SwagEnsemble(models, seed, scale, diagonal, Moments.Rank, Moments.DeviationCount, rule);
    }

    void LoadParameters(TModel model, Tensor flat)
    {
        using var _ = no_grad();
        var target = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, value) in Moments.Unflatten(flat))
        {
            if (!target.TryGetValue(name, out var parameter))
                throw new InvalidOperationException($"the factory's model has no parameter '{name}': it builds another architecture than the one trained.");
            parameter.copy_(value);
        }
    }

    public void Dispose() => Moments.Dispose();
}
