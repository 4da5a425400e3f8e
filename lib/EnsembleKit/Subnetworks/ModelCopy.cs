using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>Copies of a parent network and seed derivation for children.</summary>
internal static class ModelCopy
{
    /// <summary>A new model from <paramref name="create"/> on the parent's device, holding the parent's state (parameters and buffers).</summary>
    internal static TModel Clone<TModel>(TModel parent, Func<TModel> create) where TModel : nn.Module
    {
        var child = create();
        if (ReferenceEquals(child, parent)) throw new ArgumentException("create() returned the parent itself; it must build a new model.", nameof(create));
        var device = parent.parameters().FirstOrDefault()?.device;
        if (device is not null) child.to(device);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var source = parent.state_dict();
        foreach (var (name, value) in child.state_dict())
        {
            if (!source.TryGetValue(name, out var saved))
                throw new ArgumentException($"the child from create() has '{name}' but the parent has not: the architectures differ.", nameof(create));
            if (!saved.shape.SequenceEqual(value.shape))
                throw new ArgumentException($"'{name}' is {MaskMath.Shape(saved.shape)} in the parent but {MaskMath.Shape(value.shape)} in the child from create().", nameof(create));
            value.copy_(saved);
        }
        child.train(parent.training);
        return child;
    }

    /// <summary>A per-purpose seed that differs across its parts (same mixing as the trainer's epoch seeds).</summary>
    internal static long Seed(long seed, long a, long b = 0) => unchecked(seed * 1_000_003L + a * 7919L + b * 104_729L + 17);

    internal static Device DeviceOf(nn.Module model) => model.parameters().FirstOrDefault()?.device ?? CPU;
}
