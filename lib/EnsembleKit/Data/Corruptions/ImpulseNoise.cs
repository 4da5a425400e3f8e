using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>impulse_noise</c>: skimage's <c>random_noise(mode='s&amp;p', amount=c)</c>, each value (each channel of each pixel)
/// replaced with probability c by 0 or 1 (even odds), c = 0.01, 0.02, 0.03, 0.05, 0.07 (make_cifar_c.py's table).
/// </summary>
public sealed class ImpulseNoise : Corruption
{
    static readonly double[] Amount = [0.01, 0.02, 0.03, 0.05, 0.07];

    public override string Name => "impulse_noise";
    public override CorruptionFamily Family => CorruptionFamily.Noise;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        // As skimage: one uniform decides whether a value flips, a second whether it becomes salt (1) or pepper (0).
        using Scalar amount = Pick(Amount, severity), half = 0.5;
        var flipped = rand(images.shape, dtype: ScalarType.Float64, generator: generator).le(amount);
        var salt = rand(images.shape, dtype: ScalarType.Float64, generator: generator).le(half);
        return where(flipped, salt.to(images.dtype), images);
    }
}
