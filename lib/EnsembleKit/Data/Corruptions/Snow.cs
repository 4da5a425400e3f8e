using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>snow</c>: a snow layer N(loc, scale) per pixel, enlarged by <c>zoom</c> (<see cref="CorruptionOps.ClippedZoom"/>),
/// values below <c>threshold</c> set to 0, clipped and cut to 8 bits, motion-blurred (radius, sigma) at an angle uniform in
/// [-135, -45) degrees; the image is whitened, <c>mix x + (1 - mix) max(x, 1.5 grey(x) + 0.5)</c>, and the layer and the
/// layer turned by 180 degrees are added. (loc, scale, zoom, threshold, radius, sigma, mix) = (0.1, 0.2, 1, 0.6, 8, 3, 0.95),
/// (0.1, 0.2, 1, 0.5, 10, 4, 0.9), (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9), (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85),
/// (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8) (make_cifar_c.py's table). The motion blur approximates Wand's
/// (<see cref="CorruptionOps.MotionBlur"/>). For one channel grey(x) is x.
/// </summary>
public sealed class Snow : Corruption
{
    static readonly (double Loc, double Scale, double Zoom, double Threshold, double Radius, double Sigma, double Mix)[] Constants =
    [
        (0.1, 0.2, 1, 0.6, 8, 3, 0.95),
        (0.1, 0.2, 1, 0.5, 10, 4, 0.9),
        (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9),
        (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85),
        (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8),
    ];

    public override string Name => "snow";
    public override CorruptionFamily Family => CorruptionFamily.Weather;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var k = Pick(Constants, severity);
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        using Scalar scale = k.Scale, loc = k.Loc, threshold = k.Threshold;
        var layer = randn([n, 1, h, w], dtype: ScalarType.Float64, generator: generator).mul(scale).add(loc);
        layer = CorruptionOps.ClippedZoom(layer, k.Zoom);
        layer = where(layer.lt(threshold), zeros_like(layer), layer);
        // PIL 'L' image of astype(np.uint8): 8-bit levels, exact in float32, where the blur runs three times faster.
        using Scalar zero = 0, one = 1, maxLevel = 255;
        layer = layer.clamp(zero, one).mul(maxLevel).floor().div(maxLevel).to(images.dtype);
        using Scalar angleRange = 90, angleOffset = 135;
        var angles = rand(n, dtype: ScalarType.Float64, generator: generator).mul(angleRange).sub(angleOffset);
        layer = CorruptionOps.MotionBlur(layer, k.Radius, k.Sigma, angles);
        using Scalar mix = k.Mix, greyGain = 1.5, greyLift = 0.5, rest = 1 - k.Mix;
        var whitened = images.mul(mix) + maximum(images, CorruptionOps.Grey(images).mul(greyGain).add(greyLift)).mul(rest);
        return whitened + layer + layer.flip(2, 3);
    }
}
