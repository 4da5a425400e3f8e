using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>shot_noise</c>: <c>clip(Poisson(x c) / c)</c>, c = 500, 250, 100, 75, 50 (make_cifar_c.py's table; fewer photons, more noise).
/// </summary>
public sealed class ShotNoise : Corruption
{
    static readonly double[] Photons = [500, 250, 100, 75, 50];

    public override string Name => "shot_noise";
    public override CorruptionFamily Family => CorruptionFamily.Noise;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        double c = Pick(Photons, severity);
        using Scalar photons = c;
        return poisson(images.to(ScalarType.Float64).mul(photons), generator).div(photons).to(images.dtype);
    }
}
