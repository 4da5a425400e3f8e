using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Bootstrap aggregation (Breiman 1996; seed-spec §1.10): every member is trained on its own random resample of the
/// training set. Seed 002's small-budget baseline (Table 5.1) trains 8 full models for 2 epochs each on "a randomly
/// sampled 90 % subset" without saying whether with replacement; <see cref="Train{TModel}"/> takes both choices.
/// </summary>
public static class Bagging
{
    /// <summary>
    /// Row indices int64 <c>[round(fraction · count)]</c> of one resample of a <paramref name="count"/>-row dataset:
    /// drawn uniformly with replacement (a bootstrap sample; <paramref name="fraction"/> 1 is the classical one), or a
    /// random subset without replacement (in random order). Deterministic in <paramref name="seed"/>.
    /// </summary>
    public static Tensor SampleIndices(long count, double fraction, bool withReplacement, long seed)
    {
        TorchRuntime.EnsureInitialized();
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"the dataset must have at least one row; got {count}.");
        if (!(fraction > 0) || (!withReplacement && fraction > 1))
            throw new ArgumentOutOfRangeException(nameof(fraction),
                $"the resample fraction must be in (0, 1] without replacement and positive with replacement; got {fraction}.");
        long size = Math.Max(1, (long)Math.Round(fraction * count, MidpointRounding.AwayFromZero));
        using var generator = new Generator((ulong)seed);
        if (withReplacement) return randint(0, count, [size], dtype: ScalarType.Int64, generator: generator);
        using var scope = NewDisposeScope();
        return randperm(count, generator: generator).narrow(0, 0, size).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Trains <paramref name="count"/> members, member m initialised with seed <c>seed + m</c> (as
    /// <see cref="DeepEnsemble.Train{TModel}"/>) on resample m (<see cref="SampleIndices"/> with seed <c>seed + m</c>).
    /// Each member trains <c>options.Epochs</c> epochs over its resample, so a bagged ensemble costs
    /// <c>count · fraction · options.Epochs</c> epochs of the full set.
    /// </summary>
    public static DeepEnsemble Train<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options, int count,
        double fraction = 0.9, bool withReplacement = true, CombinationRule rule = CombinationRule.MeanProbabilities, long seed = 0)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"member count must be positive; got {count}.");
        options.Validate();
        var models = new List<nn.Module<Tensor, Tensor>>();
        var histories = new List<TrainingHistory>();
        try
        {
            for (int m = 0; m < count; m++)
            {
                using var indices = SampleIndices(train.Count, fraction, withReplacement, seed + m);
                using var onDevice = indices.to(train.Inputs.device);
                using var resample = train.Subset(onDevice, $"{train.Name}, resample {m + 1}");
                manual_seed(seed + m);
                var model = create();
                models.Add(model);
                var memberOptions = options with
                {
                    Seed = seed + m,
                    Label = $"bagged member {m + 1}/{count}",
                    CheckpointPath = options.CheckpointPath is null ? null : $"{options.CheckpointPath}.bag{m}",
                };
                histories.Add(new Trainer(memberOptions).Fit(model, resample));
            }
        }
        catch
        {
            foreach (var model in models) model.Dispose();
            throw;
        }
        return new DeepEnsemble(models, rule, histories, "bagging");
    }
}
