using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Mirrors each image of a batch <c>[B, C, H, W]</c> left-right with probability <see cref="Probability"/>,
/// independently per sample (one uniform draw a sample from the generator).
/// </summary>
public sealed class RandomHorizontalFlip : IBatchTransform
{
    public double Probability { get; }

    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (probability is < 0 or > 1 || double.IsNaN(probability))
            throw new ArgumentOutOfRangeException(nameof(probability), $"flip probability must be in [0, 1]; got {probability}.");
        Probability = probability;
    }

    public Tensor Apply(Tensor inputs, Generator generator)
    {
        if (inputs.dim() != 4) throw new ArgumentException($"RandomHorizontalFlip expects images [B, C, H, W]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        using var scope = NewDisposeScope();
        long b = inputs.shape[0];
        using Scalar probability = Probability;
        var flip = SeededDraws.Uniform([b], ScalarType.Float64, inputs.device, generator).lt(probability);
        return where(flip.view(b, 1, 1, 1), inputs.flip(3), inputs).MoveToOuterDisposeScope();
    }

    /// <summary>Every image mirrored left-right (deterministic), <c>[B, C, H, W]</c> -> same shape.</summary>
    public static Tensor FlipAll(Tensor inputs) => inputs.flip(3);

    public override string ToString() => $"RandomHorizontalFlip(p {Probability})";
}
