using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>zoom_blur</c>: the mean of the image and its <see cref="CorruptionOps.ClippedZoom"/> enlargements by
/// <c>np.arange(1, e, 0.01)</c> with e = 1.06, 1.11, 1.16, 1.21, 1.26 (make_cifar_c.py's table). numpy's floating-point
/// arange gives 7, 12, 16, 21 and 26 factors (1.00 up to 1.06, 1.11, 1.15, 1.20, 1.25, each a little above), reproduced here. Deterministic.
/// </summary>
public sealed class ZoomBlur : Corruption
{
    /// <summary>How many zoom factors <c>np.arange(1, e, 0.01)</c> yields for each severity's e.</summary>
    internal static readonly int[] FactorCounts = [7, 12, 16, 21, 26];

    public override string Name => "zoom_blur";
    public override CorruptionFamily Family => CorruptionFamily.Blur;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        int count = Pick(FactorCounts, severity);
        // numpy's arange computes start + i * delta with delta = (start + step) - start = 0.010000000000000009: its
        // 26th factor is 1.2500000000000002, not 1.25, which changes clipped_zoom's output size for 12 and 32 pixels.
        const double delta = (1.0 + 0.01) - 1.0;
        var sum = images.clone();
        for (int i = 0; i < count; i++)
            sum.add_(CorruptionOps.ClippedZoom(images, 1.0 + i * delta));
        using Scalar terms = count + 1;
        return sum.div(terms);
    }
}
