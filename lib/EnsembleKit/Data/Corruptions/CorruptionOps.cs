using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// The image operations the recipe borrows from scipy, skimage, OpenCV, ImageMagick and Pillow, re-implemented on
/// TorchSharp tensors <c>[N, C, H, W]</c>. Each method says which library call it follows.
/// </summary>
internal static class CorruptionOps
{
    /// <summary>Index <paramref name="i"/> of a length-<paramref name="n"/> axis folded into 0..n-1 by <paramref name="mode"/>.</summary>
    public static long Fold(long i, long n, BorderMode mode)
    {
        switch (mode)
        {
            case BorderMode.Nearest:
                return Math.Clamp(i, 0, n - 1);
            case BorderMode.Symmetric:
                {
                    long m = ((i % (2 * n)) + 2 * n) % (2 * n);
                    return m < n ? m : 2 * n - 1 - m;
                }
            default:
                {
                    if (n == 1) return 0;
                    long period = 2 * (n - 1), m = ((i % period) + period) % period;
                    return m < n ? m : period - m;
                }
        }
    }

    /// <summary>Integer index tensor (any shape, int64) folded into 0..n-1 by <paramref name="mode"/>.</summary>
    public static Tensor Fold(Tensor i, long n, BorderMode mode)
    {
        switch (mode)
        {
            case BorderMode.Nearest:
                {
                    using Scalar zero = 0, last = n - 1;
                    return i.clamp(zero, last);
                }
            case BorderMode.Symmetric:
                {
                    // (2n - 1) - m as TorchSharp's number-minus-tensor operator computes it: -m + (2n - 1).
                    using Scalar period = 2 * n, count = n, mirror = 2 * n - 1;
                    var m = i.remainder(period);
                    return where(m.lt(count), m, m.negative().add(mirror));
                }
            default:
                {
                    if (n == 1) return zeros_like(i);
                    using Scalar period = 2 * (n - 1), count = n;
                    var m = i.remainder(period);
                    return where(m.lt(count), m, m.negative().add(period));
                }
        }
    }

    /// <summary>Pads the last two dimensions by <paramref name="padY"/> rows and <paramref name="padX"/> columns each side.</summary>
    public static Tensor Pad(Tensor images, int padY, int padX, BorderMode mode)
    {
        long h = images.shape[^2], w = images.shape[^1];
        var rows = tensor(Enumerable.Range(-padY, (int)h + 2 * padY).Select(i => Fold(i, h, mode)).ToArray());
        var cols = tensor(Enumerable.Range(-padX, (int)w + 2 * padX).Select(i => Fold(i, w, mode)).ToArray());
        return images.index_select(-2, rows).index_select(-1, cols);
    }

    /// <summary>
    /// scipy's <c>gaussian_filter1d</c> weights: radius <c>int(truncate * sigma + 0.5)</c>, <c>exp(-x^2 / 2 sigma^2)</c> normalised.
    /// A sigma of (about) zero gives the identity <c>[1]</c>, as scipy skips such axes.
    /// </summary>
    public static double[] GaussianWeights(double sigma, double truncate)
    {
        if (sigma <= 1e-15) return [1.0];
        int radius = (int)(truncate * sigma + 0.5);
        var w = Enumerable.Range(-radius, 2 * radius + 1).Select(x => Math.Exp(-0.5 * x * x / (sigma * sigma))).ToArray();
        double sum = w.Sum();
        return w.Select(v => v / sum).ToArray();
    }

    /// <summary>
    /// skimage <c>filters.gaussian(x, sigma, mode, truncate)</c> over the two spatial axes of <c>[N, C, H, W]</c>
    /// (channels not mixed, as with <c>multichannel=True</c>).
    /// </summary>
    public static Tensor Gaussian(Tensor images, double sigma, BorderMode mode, double truncate = 4.0)
    {
        var w = GaussianWeights(sigma, truncate);
        if (w.Length == 1) return images.clone();
        int r = w.Length / 2;
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], wd = images.shape[3];
        var planes = Pad(images.reshape(n * c, 1, h, wd), r, r, mode);
        var kx = tensor(w, new long[] { 1, 1, 1, w.Length }, images.dtype);
        var ky = tensor(w, new long[] { 1, 1, w.Length, 1 }, images.dtype);
        var filtered = nn.functional.conv2d(nn.functional.conv2d(planes, kx), ky);
        return filtered.reshape(n, c, h, wd);
    }

    /// <summary>
    /// OpenCV <c>filter2D(x, -1, kernel)</c> per channel: correlation with an odd square <paramref name="kernel"/>,
    /// borders by <paramref name="mode"/> (OpenCV's default is <see cref="BorderMode.Reflect101"/>).
    /// </summary>
    public static Tensor Filter2D(Tensor images, double[,] kernel, BorderMode mode)
    {
        int k = kernel.GetLength(0), r = k / 2;
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var flat = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                flat[i * k + j] = kernel[i, j];
        var weights = tensor(flat, new long[] { 1, 1, k, k }, images.dtype);
        var planes = Pad(images.reshape(n * c, 1, h, w), r, r, mode);
        return nn.functional.conv2d(planes, weights).reshape(n, c, h, w);
    }

    /// <summary>
    /// Bilinear sampling of <paramref name="images"/> <c>[N, C, H, W]</c> at row <paramref name="ys"/> and column
    /// <paramref name="xs"/> coordinates (float64 <c>[N, H', W']</c>, pixel units), the four neighbours read with
    /// <paramref name="mode"/> outside the image: scipy <c>map_coordinates(order=1)</c>, OpenCV <c>remap/warpAffine</c>.
    /// Returns <c>[N, C, H', W']</c>.
    /// </summary>
    public static Tensor Bilinear(Tensor images, Tensor ys, Tensor xs, BorderMode mode)
    {
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        long oh = ys.shape[1], ow = ys.shape[2];
        var y0 = ys.floor();
        var x0 = xs.floor();
        var fy = (ys - y0).to(images.dtype).unsqueeze(1);
        var fx = (xs - x0).to(images.dtype).unsqueeze(1);
        var yi = y0.to(ScalarType.Int64);
        var xi = x0.to(ScalarType.Int64);
        var flat = images.reshape(n, c, h * w);
        using Scalar rowStride = w, one = 1;
        Tensor At(Tensor row, Tensor col)
        {
            var index = (Fold(row, h, mode).mul(rowStride) + Fold(col, w, mode)).reshape(n, 1, oh * ow).expand(n, c, oh * ow);
            return flat.gather(2, index).reshape(n, c, oh, ow);
        }
        // 1 - f as TorchSharp's number-minus-tensor operator computes it: -f + 1.
        var leftWeight = fx.negative().add(one);
        var topWeight = fy.negative().add(one);
        var top = At(yi, xi) * leftWeight + At(yi, xi.add(one)) * fx;
        var bottom = At(yi.add(one), xi) * leftWeight + At(yi.add(one), xi.add(one)) * fx;
        return top * topWeight + bottom * fy;
    }

    /// <summary>
    /// The recipe's <c>clipped_zoom</c>: crop the centre <c>ceil(h / zoom)</c> square, enlarge it with scipy's
    /// <c>ndimage.zoom(order=1)</c> (linear, corners aligned: output <c>round(ch * zoom)</c> pixels) and cut the centre
    /// <c>[h, w]</c> back out. Images <c>[N, C, H, W]</c>, square.
    /// </summary>
    public static Tensor ClippedZoom(Tensor images, double zoom)
    {
        long h = images.shape[2];
        long ch = (long)Math.Ceiling(h / zoom);
        long top = (h - ch) / 2;
        var crop = images.narrow(2, top, ch).narrow(3, top, ch);
        long size = (long)Math.Round(ch * zoom, MidpointRounding.ToEven);   // Python's round()
        var zoomed = size == ch ? crop : nn.functional.interpolate(crop, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: true);
        long trim = (size - h) / 2;
        return zoomed.narrow(2, trim, h).narrow(3, trim, h);
    }

    /// <summary>
    /// ImageMagick's <c>MotionBlurImage(radius, sigma, angle)</c> as Wand calls it: a one-sided line of
    /// <c>2 ceil(radius) + 1</c> taps, weights <c>exp(-i^2 / 2 sigma^2)</c> normalised, tap i read at offset
    /// <c>(round(i cos a), round(i sin a))</c> (x, y), edge pixels repeated. One angle (degrees) per image,
    /// <paramref name="angles"/> float64 <c>[N]</c>. An approximation of Wand's <c>motion_blur</c>: ImageMagick also
    /// quantises to its pixel depth, which this leaves out.
    /// </summary>
    public static Tensor MotionBlur(Tensor images, double radius, double sigma, Tensor angles)
    {
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        int width = (int)(2 * Math.Ceiling(radius) + 1);
        var weights = Enumerable.Range(0, width).Select(i => Math.Exp(-(double)i * i / (2 * sigma * sigma))).ToArray();
        double total = weights.Sum();
        using Scalar radiansPerDegree = Math.PI / 180, rowCount = h, colCount = w, half = 0.5, zero = 0, lastRow = h - 1, lastCol = w - 1;
        var radians = angles.to(ScalarType.Float64).mul(radiansPerDegree);
        var cos = radians.cos().reshape(n, 1, 1);
        var sin = radians.sin().reshape(n, 1, 1);
        var rows = arange(rowCount, dtype: ScalarType.Int64).reshape(1, h, 1);
        var cols = arange(colCount, dtype: ScalarType.Int64).reshape(1, 1, w);
        var flat = images.reshape(n, c, h * w);
        var output = zeros_like(images);
        for (int i = 0; i < width; i++)
        {
            using Scalar tap = i, weight = weights[i] / total;
            // ceil(v - 0.5), ImageMagick's rounding of the offsets.
            var dx = cos.mul(tap).sub(half).ceil().to(ScalarType.Int64);
            var dy = sin.mul(tap).sub(half).ceil().to(ScalarType.Int64);
            var index = ((rows + dy).clamp(zero, lastRow).mul(colCount) + (cols + dx).clamp(zero, lastCol)).reshape(n, 1, h * w).expand(n, c, h * w);
            output.add_(flat.gather(2, index).reshape(n, c, h, w), alpha: weight);
        }
        return output;
    }

    /// <summary>OpenCV's <c>COLOR_RGB2GRAY</c> (0.299 R + 0.587 G + 0.114 B) of <c>[N, 3, H, W]</c>, or the image itself when C = 1; <c>[N, 1, H, W]</c>.</summary>
    public static Tensor Grey(Tensor images)
    {
        if (images.shape[1] == 1) return images;
        var coefficients = tensor(new[] { 0.299f, 0.587f, 0.114f }, new long[] { 1, 3, 1, 1 }, images.dtype);
        return (images * coefficients).sum(1, keepdim: true);
    }

    /// <summary>
    /// Float images in [0, 1] as a contiguous uint8 tensor of their 8-bit values (rounded to the nearest level: the kit's
    /// images come from 8-bit files). Read and write it through <see cref="Tensor.bytes"/>, a view of its native memory:
    /// large managed arrays per batch would trigger background collections (see <see cref="CorruptedDataset"/>).
    /// </summary>
    public static Tensor ToBytes(Tensor images)
    {
        using Scalar zero = 0, maxLevel = 255;
        return images.mul(maxLevel).round_().clamp_(zero, maxLevel).to(ScalarType.Byte).contiguous();
    }

    /// <summary>A uint8 tensor of 8-bit values back to float32 in [0, 1].</summary>
    public static Tensor FromBytes(Tensor bytes)
    {
        using Scalar maxLevel = 255f;
        return bytes.to(ScalarType.Float32).div_(maxLevel);
    }
}
