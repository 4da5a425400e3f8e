using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>gaussian_noise</c>: <c>clip(x + N(0, c^2))</c>, c = 0.04, 0.06, 0.08, 0.09, 0.10 (make_cifar_c.py's table).
/// </summary>
public sealed class GaussianNoise : Corruption
{
    static readonly double[] Scale = [0.04, 0.06, 0.08, 0.09, 0.10];

    public override string Name => "gaussian_noise";
    public override CorruptionFamily Family => CorruptionFamily.Noise;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        using Scalar scale = Pick(Scale, severity);
        return images + randn(images.shape, dtype: images.dtype, generator: generator).mul(scale);
    }
}
