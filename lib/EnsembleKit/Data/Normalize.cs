using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Per-channel standardisation of images <c>[B, C, H, W]</c> (or one image <c>[C, H, W]</c>):
/// <c>(x - mean[c]) / std[c]</c>. Deterministic; the generator is ignored.
/// </summary>
public sealed class Normalize : IBatchTransform
{
    readonly float[] _mean, _std;

    public IReadOnlyList<float> Mean => _mean;
    public IReadOnlyList<float> Std => _std;

    /// <summary>CIFAR-10's training-set channel statistics (<see cref="Data.Cifar10.Mean"/>, <see cref="Data.Cifar10.Std"/>).</summary>
    public static Normalize Cifar10 => new(Data.Cifar10.Mean, Data.Cifar10.Std);

    public Normalize(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"mean and std need one value per channel, the same count; got {mean.Count} and {std.Count}.");
        if (std.Any(s => !(s > 0)))
            throw new ArgumentOutOfRangeException(nameof(std), $"every std must be positive; got [{string.Join(", ", std)}].");
        _mean = [.. mean];
        _std = [.. std];
    }

    public Tensor Apply(Tensor inputs, Generator generator) => Apply(inputs);

    /// <summary>Standardises <paramref name="inputs"/> <c>[B, C, H, W]</c> or <c>[C, H, W]</c>; returns a new tensor.</summary>
    public Tensor Apply(Tensor inputs)
    {
        int channelDim = inputs.dim() switch
        {
            4 => 1,
            3 => 0,
            _ => throw new ArgumentException($"Normalize expects images [B, C, H, W] or [C, H, W]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs)),
        };
        if (inputs.shape[channelDim] != _mean.Length)
            throw new ArgumentException($"Normalize has {_mean.Length} channel statistics but the inputs [{string.Join(", ", inputs.shape)}] have {inputs.shape[channelDim]} channels.", nameof(inputs));
        using var scope = NewDisposeScope();
        var shape = channelDim == 1 ? new long[] { 1, _mean.Length, 1, 1 } : new long[] { _mean.Length, 1, 1 };
        var mean = tensor(_mean, shape, inputs.dtype, inputs.device);
        var std = tensor(_std, shape, inputs.dtype, inputs.device);
        return inputs.sub(mean).div(std).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"Normalize(mean [{string.Join(", ", _mean)}], std [{string.Join(", ", _std)}])";
}
