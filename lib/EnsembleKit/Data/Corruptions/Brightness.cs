using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>brightness</c>: in HSV (skimage), <c>V = clip(V + c, 0, 1)</c>, back to RGB; c = 0.05, 0.1, 0.15, 0.2, 0.3
/// (make_cifar_c.py's table). With hue and saturation fixed, RGB is proportional to V, so this computes
/// <c>rgb * V' / V</c> (grey <c>V'</c> where V = 0) without the round trip. For one channel V is the pixel: <c>min(x + c, 1)</c>.
/// Deterministic; monotone in c by construction.
/// </summary>
public sealed class Brightness : Corruption
{
    static readonly double[] Shift = [0.05, 0.1, 0.15, 0.2, 0.3];

    public override string Name => "brightness";
    public override CorruptionFamily Family => CorruptionFamily.Weather;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var x = images.to(ScalarType.Float64);
        var value = x.amax([1], keepdim: true);
        using Scalar shift = Pick(Shift, severity), zero = 0, one = 1, tiny = 1e-300;
        var brighter = value.add(shift).clamp(zero, one);
        var scaled = where(value.gt(zero), x * brighter / value.clamp_min(tiny), brighter.expand_as(x));
        return scaled.to(images.dtype);
    }
}
