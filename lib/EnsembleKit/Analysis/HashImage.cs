using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// An 8-bit image as the perceptual hashes take it (the equivalent of a PIL image in mode "L" or "RGB"):
/// <see cref="Height"/> × <see cref="Width"/> pixels, 1 or 3 channels, row-major with channels interleaved.
/// Build one from a tensor with <see cref="FromTensor"/> (feature visualisations <c>[3, H, W]</c>, saliency or activation
/// maps <c>[H, W]</c>) or from raw bytes with <see cref="FromBytes"/>.
/// </summary>
public sealed class HashImage
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>1 (grayscale, PIL "L") or 3 (PIL "RGB").</summary>
    public int Channels { get; }
    readonly byte[] _pixels;

    HashImage(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        _pixels = pixels;
    }

    /// <summary>The pixels, row-major, channels interleaved (a copy).</summary>
    public byte[] Pixels => (byte[])_pixels.Clone();

    /// <summary>An image from raw bytes: <c>height · width · channels</c> values, row-major, channels interleaved.</summary>
    public static HashImage FromBytes(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive; got {width} x {height}.");
        if (channels is not (1 or 3)) throw new ArgumentException($"images have 1 (grayscale) or 3 (RGB) channels; got {channels}.", nameof(channels));
        if (pixels.Length != (long)width * height * channels)
            throw new ArgumentException($"a {width} x {height} image with {channels} channel(s) has {width * height * channels} values; got {pixels.Length}.", nameof(pixels));
        return new HashImage(width, height, channels, (byte[])pixels.Clone());
    }

    /// <summary>
    /// An image from a tensor <c>[H, W]</c>, <c>[1, H, W]</c> (grayscale) or <c>[3, H, W]</c> (RGB, channels first).
    /// uint8 tensors are taken as they are. Floating-point tensors are taken to lie in [0, 1] (values outside are clamped)
    /// and converted as torchvision's <c>to_pil_image</c> and numpy's <c>(x * 255).astype(uint8)</c> do: multiplied by 255
    /// in the tensor's dtype and truncated. With <paramref name="minMaxNormalise"/> the image is first rescaled to [0, 1]
    /// by its own minimum and maximum (a constant image becomes black), which suits saliency and activation maps.
    /// </summary>
    public static HashImage FromTensor(Tensor image, bool minMaxNormalise = false)
    {
        TorchRuntime.EnsureInitialized();
        bool ok = image.dim() == 2 || (image.dim() == 3 && image.shape[0] is 1 or 3);
        if (!ok) throw new ArgumentException($"an image must be [H, W], [1, H, W] or [3, H, W]; got {Shapes.Describe(image)}.", nameof(image));
        if (image.numel() == 0) throw new ArgumentException($"the image is empty: {Shapes.Describe(image)}.", nameof(image));
        using var scope = NewDisposeScope();
        var chw = image.dim() == 2 ? image.unsqueeze(0) : image;
        int channels = (int)chw.shape[0], height = (int)chw.shape[1], width = (int)chw.shape[2];
        Tensor bytes;
        if (chw.dtype == ScalarType.Byte && !minMaxNormalise) bytes = chw;
        else
        {
            if (!chw.is_floating_point() && chw.dtype != ScalarType.Byte)
                throw new ArgumentException($"image tensors must be floating point in [0, 1] or uint8; got {Shapes.Describe(image)}.", nameof(image));
            var x = chw.is_floating_point() ? chw : chw.to(ScalarType.Float32);
            if (minMaxNormalise)
            {
                var lo = x.min();
                var range = x.max() - lo;
                x = range.to(ScalarType.Float64).item<double>() > 0 ? (x - lo) / range : zeros_like(x);
            }
            using Scalar black = 0, white = 1, byteScale = 255;
            bytes = x.clamp(black, white).mul(byteScale).to(ScalarType.Byte);
        }
        var hwc = bytes.permute(1, 2, 0).contiguous().to(CPU);
        return new HashImage(width, height, channels, hwc.data<byte>().ToArray());
    }

    /// <summary>
    /// One image per row of <paramref name="images"/> <c>[K, H, W]</c>, <c>[K, 1, H, W]</c> or <c>[K, 3, H, W]</c>,
    /// each converted as <see cref="FromTensor"/> (normalised per image when <paramref name="minMaxNormalise"/>).
    /// </summary>
    public static IReadOnlyList<HashImage> FromBatch(Tensor images, bool minMaxNormalise = false)
    {
        if (images.dim() is not (3 or 4))
            throw new ArgumentException($"a batch of images must be [K, H, W] or [K, C, H, W]; got {Shapes.Describe(images)}.", nameof(images));
        var result = new List<HashImage>((int)images.shape[0]);
        for (long k = 0; k < images.shape[0]; k++)
        {
            using var one = images[k];
            result.Add(FromTensor(one, minMaxNormalise));
        }
        return result;
    }

    /// <summary>Grayscale values as PIL's <c>convert("L")</c> gives them: <c>(19595 R + 38470 G + 7471 B + 0x8000) &gt;&gt; 16</c>.</summary>
    internal byte[] Luminance()
    {
        if (Channels == 1) return _pixels;
        var l = new byte[Width * Height];
        for (int i = 0; i < l.Length; i++)
            l[i] = (byte)((_pixels[3 * i] * 19595 + _pixels[3 * i + 1] * 38470 + _pixels[3 * i + 2] * 7471 + 0x8000) >> 16);
        return l;
    }

    /// <summary>HSV bytes (interleaved H, S, V) as PIL's <c>convert("HSV")</c> gives them; grayscale has H = S = 0, V = L.</summary>
    internal byte[] Hsv()
    {
        var hsv = new byte[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
        {
            if (Channels == 1) { hsv[3 * i + 2] = _pixels[i]; continue; }
            var (h, s, v) = PilHsv(_pixels[3 * i], _pixels[3 * i + 1], _pixels[3 * i + 2]);
            hsv[3 * i] = h;
            hsv[3 * i + 1] = s;
            hsv[3 * i + 2] = v;
        }
        return hsv;
    }

    /// <summary>Pillow's <c>rgb2hsv_row</c> (after colorsys), with its float/double mix reproduced for identical bytes.</summary>
    static (byte H, byte S, byte V) PilHsv(byte r, byte g, byte b)
    {
        byte max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        if (max == min) return (0, 0, max);
        float cr = max - min;
        float s = cr / max;
        float rc = (max - r) / cr, gc = (max - g) / cr, bc = (max - b) / cr;
        float h;
        if (r == max) h = bc - gc;
        else if (g == max) h = (float)(2.0 + rc - bc);
        else h = (float)(4.0 + gc - rc);
        h = (float)CFmod(h / 6.0 + 1.0, 1.0);
        return (Clip8((int)(h * 255.0)), Clip8((int)(s * 255.0)), max);
    }

    static double CFmod(double x, double y) => x % y; // C's fmod: same sign as x, exact

    static byte Clip8(int v) => (byte)Math.Clamp(v, 0, 255);

    public override string ToString() => $"{Width} x {Height} {(Channels == 1 ? "grayscale" : "RGB")} image";
}
