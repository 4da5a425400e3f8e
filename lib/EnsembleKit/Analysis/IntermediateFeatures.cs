using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;
using Sequential = TorchSharp.Modules.Sequential;

namespace EnsembleKit.Analysis;

/// <summary>
/// The activations of an intermediate layer of a fixed (pre-trained) network over a whole dataset, as a new dataset whose
/// inputs are those features: the "input" of seed-spec E3.4's multi-view experiment, where new models are trained on all
/// channels, on a subset or on averages of them (<see cref="ChannelViews"/>).
/// </summary>
public static class IntermediateFeatures
{
    /// <summary>
    /// Runs the first <paramref name="upToChild"/> stages of <paramref name="model"/> on every row of <paramref name="data"/>
    /// (eval mode, no gradients, batches of <paramref name="batchSize"/>) and returns the features, e.g. <c>[N, C, H, W]</c>,
    /// with a copy of the targets. A stage is a conv block of a <see cref="SmallCnn"/> (1..3: <c>[N, 16, S/2, S/2]</c>,
    /// <c>[N, 32, S/4, S/4]</c>, <c>[N, 32, S/8, S/8]</c>) or a child of an <c>nn.Sequential</c>, applied in order; other
    /// models cannot be split (<see cref="NotSupportedException"/>; use the overload taking a feature function).
    /// The inputs must be on the model's device; the model's training mode is restored afterwards.
    /// </summary>
    public static TensorDataset Extract(nn.Module<Tensor, Tensor> model, TensorDataset data, int upToChild, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        Func<Tensor, Tensor> features = model switch
        {
            SmallCnn cnn => SmallCnnPrefix(cnn, upToChild),
            Sequential sequential => SequentialPrefix(sequential, upToChild),
            _ => throw new NotSupportedException(
                $"IntermediateFeatures cannot split {model.GetType().Name} ({model}): only SmallCnn and nn.Sequential expose their stages in order; pass a feature function instead."),
        };
        return Extract(model, features, data, batchSize, $"{data.Name} features after {upToChild} of {model.GetType().Name}");
    }

    /// <summary>
    /// Applies <paramref name="features"/> (a batch <c>[B, ...]</c> → features <c>[B, ...]</c>, e.g.
    /// <c>x =&gt; cnn.Features(x, 2)</c>) to every row of <paramref name="data"/> with <paramref name="model"/> in eval mode and
    /// no gradients, and returns the features <c>[N, ...]</c> with a copy of the targets, named <paramref name="name"/>.
    /// </summary>
    public static TensorDataset Extract(nn.Module model, Func<Tensor, Tensor> features, TensorDataset data, int batchSize = 1000, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive; got {batchSize}.");
        if (data.Count == 0) throw new ArgumentException($"dataset {data.Name} is empty.", nameof(data));
        return new TensorDataset(Predict.Batched(model, features, data.Inputs, batchSize), data.Targets.clone(), data.ClassCount, name ?? $"{data.Name} features");
    }

    static Func<Tensor, Tensor> SmallCnnPrefix(SmallCnn cnn, int blocks)
    {
        if (blocks < 1 || blocks > SmallCnn.BlockCount)
            throw new ArgumentOutOfRangeException(nameof(blocks), $"upToChild must be in [1, {SmallCnn.BlockCount}] for SmallCnn's conv blocks; got {blocks}.");
        return x => cnn.Features(x, blocks);
    }

    static Func<Tensor, Tensor> SequentialPrefix(Sequential sequential, int count)
    {
        var children = sequential.children().ToList();
        if (count < 1 || count > children.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"upToChild must be in [1, {children.Count}] for this nn.Sequential; got {count}.");
        var stages = children.Take(count).Select(child => child as nn.Module<Tensor, Tensor>
            ?? throw new NotSupportedException($"IntermediateFeatures cannot run Sequential child {child.GetType().Name}: it is not a Tensor -> Tensor module.")).ToList();
        return x =>
        {
            foreach (var stage in stages) x = stage.forward(x);
            return x;
        };
    }
}
