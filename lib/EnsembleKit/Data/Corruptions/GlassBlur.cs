using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>glass_blur</c>: Gaussian blur (skimage, sigma, edge pixels repeated), 8-bit truncation, then <c>iterations</c>
/// passes of the recipe's local pixel shuffle (for h from H - d down to d + 1, for w likewise: swap pixel (h, w) with
/// (h + dy, w + dx), dx, dy = <c>randint(-d, d)</c>, i.e. in -d..d-1), then the Gaussian blur again.
/// (sigma, max_delta d, iterations) = (0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2) (make_cifar_c.py's
/// table; its loop bounds use the CIFAR side 32, here the image's own height and width).
/// </summary>
public sealed class GlassBlur : Corruption
{
    static readonly (double Sigma, int MaxDelta, int Iterations)[] Constants =
        [(0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2)];

    public override string Name => "glass_blur";
    public override CorruptionFamily Family => CorruptionFamily.Blur;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var (sigma, d, iterations) = Pick(Constants, severity);
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        // np.uint8(gaussian(x) * 255): truncation, as the recipe.
        using Scalar zero = 0, maxLevel = 255;
        var pixels = CorruptionOps.Gaussian(images, sigma, BorderMode.Nearest).mul(maxLevel).clamp(zero, maxLevel).floor().to(ScalarType.Byte).contiguous();
        int rows = (int)(h - 2 * d), cols = (int)(w - 2 * d);
        // All offsets drawn at once, in the loop's order (dx then dy for each visited pixel).
        var draws = randint(-d, d, [n, iterations, rows, cols, 2], dtype: ScalarType.Int64, generator: generator).contiguous();
        Shuffle(pixels.bytes, MemoryMarshal.Cast<byte, long>(draws.bytes), n, c, h, w, d, iterations);
        var shuffled = CorruptionOps.FromBytes(pixels);
        return CorruptionOps.Gaussian(shuffled, sigma, BorderMode.Nearest);
    }

    /// <summary>The recipe's swap loop on 8-bit planes <c>[N, C, H, W]</c>, in place.</summary>
    static void Shuffle(Span<byte> pixels, ReadOnlySpan<long> offsets, long n, long c, long h, long w, int d, int iterations)
    {
        long plane = h * w, imageSize = c * plane;
        int at = 0;
        for (long image = 0; image < n; image++)
        {
            long origin = image * imageSize;
            for (int pass = 0; pass < iterations; pass++)
                for (long y = h - d; y > d; y--)
                    for (long x = w - d; x > d; x--)
                    {
                        long dx = offsets[at++], dy = offsets[at++];
                        long p = origin + y * w + x, q = origin + (y + dy) * w + (x + dx);
                        for (long ch = 0; ch < c; ch++, p += plane, q += plane)
                            (pixels[(int)p], pixels[(int)q]) = (pixels[(int)q], pixels[(int)p]);
                    }
        }
    }
}
