using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>pixelate</c>: Pillow's <c>resize(BOX)</c> down to <c>int(side c)</c> pixels and back up, c = 0.95, 0.9, 0.85,
/// 0.75, 0.65 (make_cifar_c.py's table). Pillow's 8-bit resampler is reproduced exactly: its box coefficients, 22-bit
/// fixed-point weights, rounding to 8 bits after the horizontal and then the vertical pass. Inputs are first rounded
/// to 8 bits. Deterministic.
/// </summary>
public sealed class Pixelate : Corruption
{
    static readonly double[] Factor = [0.95, 0.9, 0.85, 0.75, 0.65];
    const int PrecisionBits = 32 - 8 - 2;

    public override string Name => "pixelate";
    public override CorruptionFamily Family => CorruptionFamily.Digital;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        long n = images.shape[0], c = images.shape[1];
        int h = (int)images.shape[2], w = (int)images.shape[3];
        double factor = Pick(Factor, severity);
        int smallW = (int)(w * factor), smallH = (int)(h * factor);
        var planes = CorruptionOps.ToBytes(images);
        var output = zeros([n, c, h, w], dtype: ScalarType.Byte);
        var down = (Horizontal: BoxCoefficients(w, smallW), Vertical: BoxCoefficients(h, smallH));
        var up = (Horizontal: BoxCoefficients(smallW, w), Vertical: BoxCoefficients(smallH, h));
        var small = new byte[smallH * smallW];
        ReadOnlySpan<byte> source = planes.bytes;
        Span<byte> target = output.bytes;
        for (int p = 0; p < n * c; p++)
        {
            Resize(source.Slice(p * h * w, h * w), w, h, small, smallW, smallH, down.Horizontal, down.Vertical);
            Resize(small, smallW, smallH, target.Slice(p * h * w, h * w), w, h, up.Horizontal, up.Vertical);
        }
        return CorruptionOps.FromBytes(output);
    }

    /// <summary>Pillow's <c>precompute_coeffs</c> for the box filter, then <c>normalize_coeffs_8bpc</c>: per output pixel, its first input and integer weights.</summary>
    internal static (int Start, int[] Weights)[] BoxCoefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double support = 0.5 * filterScale;
        var result = new (int, int[])[outSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double centre = (xx + 0.5) * scale;
            int xmin = Math.Max((int)(centre - support + 0.5), 0);
            int xmax = Math.Min((int)(centre + support + 0.5), inSize) - xmin;
            var k = new double[xmax];
            double sum = 0;
            for (int x = 0; x < xmax; x++)
            {
                double t = (x + xmin - centre + 0.5) / filterScale;
                k[x] = t > -0.5 && t <= 0.5 ? 1.0 : 0.0;
                sum += k[x];
            }
            result[xx] = (xmin, k.Select(v => (int)(0.5 + (sum != 0 ? v / sum : v) * (1 << PrecisionBits))).ToArray());
        }
        return result;
    }

    /// <summary>Pillow's <c>ImagingResample</c> on one 8-bit plane: horizontal pass, then vertical, each rounded to 8 bits.</summary>
    static void Resize(ReadOnlySpan<byte> source, int inW, int inH, Span<byte> target, int outW, int outH,
        (int Start, int[] Weights)[] horizontal, (int Start, int[] Weights)[] vertical)
    {
        var middle = new byte[inH * outW];
        for (int y = 0; y < inH; y++)
            for (int x = 0; x < outW; x++)
                middle[y * outW + x] = Accumulate(source, y * inW, 1, horizontal[x]);
        for (int y = 0; y < outH; y++)
            for (int x = 0; x < outW; x++)
                target[y * outW + x] = Accumulate(middle, x, outW, vertical[y]);
    }

    static byte Accumulate(ReadOnlySpan<byte> source, int origin, int stride, (int Start, int[] Weights) k)
    {
        long sum = 1L << (PrecisionBits - 1);
        for (int i = 0; i < k.Weights.Length; i++) sum += source[origin + (k.Start + i) * stride] * (long)k.Weights[i];
        return (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);
    }
}
