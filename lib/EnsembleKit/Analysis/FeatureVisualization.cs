using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>Images that excite one channel each, with the channel's mean activation before and after optimisation.</summary>
public sealed record FeatureVisualizationResult(Tensor Images, IReadOnlyList<int> Channels, IReadOnlyList<double> InitialActivation,
    IReadOnlyList<double> FinalActivation) : IDisposable
{
    public void Dispose() => Images.Dispose();
}

/// <summary>
/// Feature visualisation by activation maximisation (Olah et al. 2017), as seed 002 §7.3 renders the same channel of two
/// siblings: one image per channel, parametrised as <c>sigmoid(p)</c> so pixels stay in [0, 1], optimised with Adam to
/// maximise the channel's mean activation, with a random shift of up to <c>jitter</c> pixels each step (a cheap
/// transformation robustness). Every channel starts from the same seeded noise, so two networks given the same seed
/// start from identical images and any difference in the result comes from the networks.
/// </summary>
public static class FeatureVisualization
{
    /// <param name="features">Maps images <c>[K, C, H, W]</c> in [0, 1] to activations <c>[K, channels, h, w]</c>
    /// (include any input normalisation the network expects).</param>
    /// <param name="channels">The channel to maximise for each of the K images.</param>
    /// <param name="imageShape"><c>[C, H, W]</c> of one image.</param>
    /// <param name="steps">Number of Adam steps (positive; 256 by default).</param>
    /// <param name="learningRate">Adam learning rate on the pre-sigmoid image parameters (positive; 0.05 by default).</param>
    /// <param name="jitter">Largest random shift, in pixels along each spatial axis, applied before every step
    /// (0 turns jitter off; 2 by default).</param>
    /// <param name="seed">Seeds the starting noise and the jitter shifts.</param>
    public static FeatureVisualizationResult Channels(Func<Tensor, Tensor> features, IReadOnlyList<int> channels, long[] imageShape,
        int steps = 256, double learningRate = 0.05, int jitter = 2, long seed = 0)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(features);
        if (channels is null || channels.Count == 0) throw new ArgumentException("give at least one channel.", nameof(channels));
        if (imageShape is not { Length: 3 } || imageShape.Any(d => d < 1))
            throw new ArgumentException($"imageShape must be [C, H, W] with positive sizes; got [{string.Join(", ", imageShape ?? [])}].", nameof(imageShape));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), $"steps must be positive; got {steps}.");
        if (learningRate <= 0) throw new ArgumentOutOfRangeException(nameof(learningRate), $"learningRate must be positive; got {learningRate}.");
        if (jitter < 0) throw new ArgumentOutOfRangeException(nameof(jitter), $"jitter must be >= 0; got {jitter}.");

        int k = channels.Count;
        using var generator = new Generator((ulong)seed);
        using var index = tensor(channels.Select(c => (long)c).ToArray());
        using Scalar initialScale = 0.01;
        using var parameters = randn([k, .. imageShape], generator: generator).mul_(initialScale).requires_grad_();
        // Adam with PyTorch's defaults (β 0.9 / 0.999, ε 1e-8), written out: a leaf tensor, not a Parameter + optimizer
        using var firstMoment = zeros_like(parameters);
        using var secondMoment = zeros_like(parameters);
        using Scalar beta1 = 0.9, oneMinusBeta1 = 0.1, beta2 = 0.999, oneMinusBeta2 = 0.001, epsilon = 1e-8;
        var shifts = new Random((int)(seed % int.MaxValue));
        double[] initial = [], final = [];
        for (int step = 0; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            var image = parameters.sigmoid();
            if (jitter > 0 && step < steps)   // the last measurement sees the image unshifted
                image = image.roll([shifts.Next(-jitter, jitter + 1), shifts.Next(-jitter, jitter + 1)], [2, 3]);
            var activations = features(image);
            if (activations.dim() != 4 || activations.shape[0] != k)
                throw new ArgumentException($"features must return [K, channels, h, w] with K = {k}; got [{string.Join(", ", activations.shape)}].", nameof(features));
            if (channels.Any(c => c < 0 || c >= activations.shape[1]))
                throw new ArgumentOutOfRangeException(nameof(channels), $"the features have {activations.shape[1]} channels; asked for {string.Join(", ", channels.Where(c => c < 0 || c >= activations.shape[1]))}.");
            var perImage = activations.gather(1, index.view(k, 1, 1, 1).expand(k, 1, activations.shape[2], activations.shape[3])).mean([1L, 2L, 3L]);
            if (step == 0) initial = perImage.detach().data<float>().Select(v => (double)v).ToArray();
            if (step == steps) { final = perImage.detach().data<float>().Select(v => (double)v).ToArray(); break; }
            // only the image gets a gradient: the network's own .grad fields are left as they were
            var gradient = autograd.grad([perImage.sum().neg()], [parameters])[0];
            using (no_grad())
            {
                firstMoment.mul_(beta1).add_(gradient, alpha: oneMinusBeta1);
                secondMoment.mul_(beta2).addcmul_(gradient, gradient, value: oneMinusBeta2);
                double correction1 = 1 - Math.Pow(0.9, step + 1), correction2 = 1 - Math.Pow(0.999, step + 1);
                using Scalar secondCorrection = correction2, stepSize = -learningRate / correction1;
                var denominator = secondMoment.div(secondCorrection).sqrt_().add_(epsilon);
                parameters.addcdiv_(firstMoment, denominator, value: stepSize);
            }
        }
        Tensor images;
        using (no_grad())
        using (var scope = NewDisposeScope())
            images = parameters.sigmoid().detach().clone().MoveToOuterDisposeScope();
        return new FeatureVisualizationResult(images, channels.ToArray(), initial, final);
    }
}
