using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>contrast</c>: <c>(x - m) c + m</c> with m each channel's mean over the image; c = 0.75, 0.5, 0.4, 0.3, 0.15
/// (make_cifar_c.py's table). Deterministic; monotone in c by construction.
/// </summary>
public sealed class Contrast : Corruption
{
    static readonly double[] Factor = [0.75, 0.5, 0.4, 0.3, 0.15];

    public override string Name => "contrast";
    public override CorruptionFamily Family => CorruptionFamily.Digital;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var x = images.to(ScalarType.Float64);
        var means = x.mean([2, 3], keepdim: true);
        using Scalar factor = Pick(Factor, severity);
        return ((x - means).mul(factor) + means).to(images.dtype);
    }
}
