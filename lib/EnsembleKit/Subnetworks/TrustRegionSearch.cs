using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Trust-region grid search for noise mutations (seed 002 §4.2.1, <c>trustRegionSearch(F, X_val, Δ)</c> of Algorithm 1):
/// for every (sparsity, σ) of the grid, mutate the parent <see cref="TrustRegionOptions.Draws"/> times and measure the
/// mean <c>KL(parent ‖ child)</c> of the softmax outputs on the validation split. The parent is mutated in place and
/// restored exactly after each draw.
/// </summary>
public static class TrustRegionSearch
{
    public static TrustRegionResult Run(nn.Module<Tensor, Tensor> parent, TensorDataset validation, TrustRegionOptions options)
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        using var scope = NewDisposeScope();
        var parentLogits = Predict.Logits(parent, validation, options.BatchSize);
        double parentAccuracy = Metric.Accuracy(parentLogits, validation.Targets);
        var saved = parent.named_parameters().Select(np => (np.parameter, np.parameter.detach().clone())).ToList();
        var points = new List<TrustRegionPoint>();
        try
        {
            int g = 0;
            foreach (var sparsity in options.Sparsities)
                foreach (var sigma in options.Strengths)
                {
                    double kl = 0, mse = 0, accuracy = 0;
                    for (int d = 0; d < options.Draws; d++)
                    {
                        using var drawScope = NewDisposeScope();
                        NoisySubnetwork.Mutate(parent, sigma, options.Mask with { Sparsity = sparsity }, DrawSeed(options.Seed, g, d), options.Mean);
                        var logits = Predict.Logits(parent, validation, options.BatchSize);
                        Restore(saved);
                        kl += MeanKl(parentLogits, logits);
                        mse += MeanSquaredDifference(parentLogits, logits);
                        accuracy += Metric.Accuracy(logits, validation.Targets);
                    }
                    kl /= options.Draws;
                    points.Add(new TrustRegionPoint(sigma, sparsity, kl, mse / options.Draws, accuracy / options.Draws, kl <= options.Bound));
                    g++;
                }
        }
        finally
        {
            Restore(saved);
        }
        return new TrustRegionResult(points, options.Bound, parentAccuracy);
    }

    /// <summary>The mutation seed of draw <paramref name="draw"/> at grid point <paramref name="gridIndex"/> (sparsity-major order).</summary>
    public static long DrawSeed(long seed, int gridIndex, int draw) => SeedMix.Of(seed, gridIndex + 1, draw);

    /// <summary>
    /// Seed 002 eq. 4.5: <c>(1/N) Σ_n Σ_c p_nc log(p_nc / q_nc)</c>, p = softmax of <paramref name="parentLogits"/>,
    /// q = softmax of <paramref name="childLogits"/>, both <c>[N, C]</c>; computed in float64 from log-softmax.
    /// </summary>
    public static double MeanKl(Tensor parentLogits, Tensor childLogits)
    {
        RequireSameShape(parentLogits, childLogits);
        using var scope = NewDisposeScope();
        var lp = parentLogits.to(ScalarType.Float64).log_softmax(1);
        var lq = childLogits.to(ScalarType.Float64).log_softmax(1);
        return lp.exp().mul(lp.sub(lq)).sum(dim: 1).mean().item<double>();
    }

    /// <summary>Seed 002 eq. 4.4 on softmax outputs: <c>(1/N) Σ_n Σ_c (p_nc − q_nc)²</c>, both <c>[N, C]</c> logits.</summary>
    public static double MeanSquaredDifference(Tensor parentLogits, Tensor childLogits)
    {
        RequireSameShape(parentLogits, childLogits);
        using var scope = NewDisposeScope();
        var p = parentLogits.to(ScalarType.Float64).softmax(1);
        var q = childLogits.to(ScalarType.Float64).softmax(1);
        return p.sub(q).square().sum(dim: 1).mean().item<double>();
    }

    static void RequireSameShape(Tensor parentLogits, Tensor childLogits)
    {
        if (parentLogits.dim() != 2)
            throw new ArgumentException($"parent logits must be [N, C]; got {Shapes.Describe(parentLogits)}.", nameof(parentLogits));
        if (!parentLogits.shape.SequenceEqual(childLogits.shape))
            throw new ArgumentException($"child logits {Shapes.Describe(childLogits)} do not match the parent's {Shapes.Describe(parentLogits)}.", nameof(childLogits));
    }

    static void Restore(List<(TorchSharp.Modules.Parameter Parameter, Tensor Saved)> saved)
    {
        using var _ = no_grad();
        foreach (var (p, s) in saved) p.copy_(s);
    }
}
