using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>Combinators for <see cref="IBatchTransform"/>.</summary>
public static class BatchTransforms
{
    /// <summary>Applies <paramref name="transforms"/> left to right, all drawing from the same generator.</summary>
    public static IBatchTransform Compose(params IBatchTransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Any(t => t is null)) throw new ArgumentException("a transform in the list is null.", nameof(transforms));
        return new Composed([.. transforms]);
    }

    sealed class Composed(IBatchTransform[] transforms) : IBatchTransform
    {
        public Tensor Apply(Tensor inputs, Generator generator)
        {
            if (transforms.Length == 0) return inputs.alias();
            using var scope = NewDisposeScope();
            var x = inputs;
            foreach (var transform in transforms) x = transform.Apply(x, generator);
            return x.MoveToOuterDisposeScope();
        }

        public override string ToString() => string.Join(" -> ", transforms.Select(t => t.ToString()));
    }
}
