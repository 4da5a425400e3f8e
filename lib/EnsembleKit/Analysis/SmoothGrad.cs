using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// SmoothGrad saliency maps (Smilkov et al. 2017), as seed 002 §7.3 compares sibling networks with: the gradient of
/// the target class's logit with respect to the input, averaged over <c>samples</c> noisy copies of the input
/// (Gaussian noise of standard deviation <c>noiseLevel × (max − min)</c> of each image); per pixel the absolute value,
/// the largest over colour channels. Only the input receives gradients: the model's own gradients are left alone.
/// </summary>
public static class SmoothGrad
{
    /// <summary>
    /// Saliency maps <c>[B, H, W]</c> (float32, non-negative) for <paramref name="inputs"/> <c>[B, C, H, W]</c>.
    /// <paramref name="targets"/> <c>[B]</c> (int64) names each image's class; by default the model's prediction on
    /// the clean image. The model runs in eval mode (restored afterwards). The same seed gives the same maps.
    /// </summary>
    public static Tensor Maps(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor? targets = null, int samples = 16,
        double noiseLevel = 0.15, long seed = 0, int batchSize = 250)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 4) throw new ArgumentException($"inputs must be [B, C, H, W]; got shape [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        if (noiseLevel < 0 || double.IsNaN(noiseLevel)) throw new ArgumentOutOfRangeException(nameof(noiseLevel), $"noiseLevel must be >= 0; got {noiseLevel}.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize must be positive; got {batchSize}.");
        long count = inputs.shape[0];
        if (targets is not null && (targets.dim() != 1 || targets.shape[0] != count))
            throw new ArgumentException($"targets must be [B] with B = {count}; got shape [{string.Join(", ", targets.shape)}].", nameof(targets));

        bool wasTraining = model.training;
        model.eval();
        using var generator = new Generator((ulong)seed);
        // Noise is drawn for all images at once, sample by sample, so the maps do not depend on batchSize.
        using var total = zeros_like(inputs);
        try
        {
            using var chosen = ChosenTargets(model, inputs, targets, batchSize);
            using var sigma = Sigma(inputs, noiseLevel);
            for (int s = 0; s < samples; s++)
            {
                using var noise = randn(inputs.shape, generator: generator).mul_(sigma);
                for (long start = 0; start < count; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    long size = Math.Min(batchSize, count - start);
                    var noisy = (inputs.narrow(0, start, size).detach() + noise.narrow(0, start, size)).requires_grad_();
                    var score = model.forward(noisy).gather(1, chosen.narrow(0, start, size)).sum();
                    total.narrow(0, start, size).add_(autograd.grad([score], [noisy])[0]);
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        using var mapScope = NewDisposeScope();
        using Scalar sampleCount = samples;
        return total.div(sampleCount).abs_().amax([1L]).MoveToOuterDisposeScope();
    }

    /// <summary>Per image, <c>noiseLevel × (max − min)</c> as <c>[B, 1, 1, 1]</c>.</summary>
    static Tensor Sigma(Tensor inputs, double noiseLevel)
    {
        using var scope = NewDisposeScope();
        using Scalar level = noiseLevel;
        return (inputs.amax([1L, 2L, 3L]) - inputs.amin([1L, 2L, 3L])).mul(level).view(inputs.shape[0], 1, 1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The given targets, or the model's predictions on the clean images, as <c>[B, 1]</c> int64.</summary>
    static Tensor ChosenTargets(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor? targets, int batchSize)
    {
        using var scope = NewDisposeScope();
        if (targets is not null) return targets.to(int64).unsqueeze(1).MoveToOuterDisposeScope();
        using var _ = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < inputs.shape[0]; start += batchSize)
        {
            parts.Add(model.forward(inputs.narrow(0, start, Math.Min(batchSize, inputs.shape[0] - start))).argmax(1));
        }
        return cat(parts, 0).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
