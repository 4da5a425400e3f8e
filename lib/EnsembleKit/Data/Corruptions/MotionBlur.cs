using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>motion_blur</c>: ImageMagick's motion blur (through Wand) with (radius, sigma) = (6, 1), (6, 1.5), (6, 2), (8, 2),
/// (9, 2.5) (make_cifar_c.py's table) at an angle drawn uniformly in [-45, 45) degrees per image. The blur is
/// <see cref="CorruptionOps.MotionBlur"/>, a one-sided Gaussian line kernel that approximates Wand's <c>motion_blur</c>
/// (no PNG round trip or ImageMagick quantisation).
/// </summary>
public sealed class MotionBlur : Corruption
{
    static readonly (double Radius, double Sigma)[] Constants = [(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)];

    public override string Name => "motion_blur";
    public override CorruptionFamily Family => CorruptionFamily.Blur;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var (radius, sigma) = Pick(Constants, severity);
        using Scalar range = 90, offset = 45;
        var angles = rand(images.shape[0], dtype: ScalarType.Float64, generator: generator).mul(range).sub(offset);
        return CorruptionOps.MotionBlur(images, radius, sigma, angles);
    }
}
