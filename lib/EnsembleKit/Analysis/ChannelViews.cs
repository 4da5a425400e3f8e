using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// Seed-spec E3.4's reduced views of intermediate features <c>[N, C, H, W]</c>: "split to k" keeps one block of C/k
/// consecutive channels, "avg over k" replaces every k consecutive channels by their mean (C/k channels). C must be
/// divisible by k. Every result is a new tensor (a copy); the input is left as it is.
/// </summary>
public static class ChannelViews
{
    /// <summary>Channels <c>part·C/k .. (part+1)·C/k − 1</c> of <paramref name="features"/> <c>[N, C, H, W]</c>: <c>[N, C/k, H, W]</c>.</summary>
    public static Tensor Split(Tensor features, int k, int part = 0)
    {
        long channels = RequireDivisible(features, k);
        if (part < 0 || part >= k) throw new ArgumentOutOfRangeException(nameof(part), $"part must be in [0, {k}) for k = {k}; got {part}.");
        long width = channels / k;
        using var scope = NewDisposeScope();
        return features.narrow(1, part * width, width).clone().MoveToOuterDisposeScope();
    }

    /// <summary>Means of channels <c>j·k .. j·k + k − 1</c> of <paramref name="features"/> <c>[N, C, H, W]</c>, for j &lt; C/k: <c>[N, C/k, H, W]</c>.</summary>
    public static Tensor Average(Tensor features, int k)
    {
        long channels = RequireDivisible(features, k);
        using var scope = NewDisposeScope();
        var (n, h, w) = (features.shape[0], features.shape[2], features.shape[3]);
        return features.reshape(n, channels / k, k, h, w).mean([2L]).MoveToOuterDisposeScope();
    }

    /// <summary>The dataset whose inputs are <see cref="Split(Tensor, int, int)"/> of <paramref name="data"/>'s inputs, with a
    /// copy of its targets; named "<c>{name} split {part+1} of {k}</c>".</summary>
    public static TensorDataset Split(TensorDataset data, int k, int part = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        return new TensorDataset(Split(data.Inputs, k, part), data.Targets.clone(), data.ClassCount, $"{data.Name} split {part + 1} of {k}");
    }

    /// <summary>The dataset whose inputs are <see cref="Average(Tensor, int)"/> of <paramref name="data"/>'s inputs, with a
    /// copy of its targets; named "<c>{name} avg over {k}</c>".</summary>
    public static TensorDataset Average(TensorDataset data, int k)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        return new TensorDataset(Average(data.Inputs, k), data.Targets.clone(), data.ClassCount, $"{data.Name} avg over {k}");
    }

    static long RequireDivisible(Tensor features, int k)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 4)
            throw new ArgumentException($"features must be [N, C, H, W]; got [{string.Join(", ", features.shape)}].", nameof(features));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be at least 1; got {k}.");
        long channels = features.shape[1];
        if (channels % k != 0)
            throw new ArgumentException($"k = {k} must divide the channel count C = {channels}.", nameof(k));
        return channels;
    }
}
