using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>jpeg_compression</c>: a JPEG round trip at quality 80, 65, 58, 50, 40 (make_cifar_c.py's table), colour images in
/// YCbCr with 4:2:0 chroma subsampling (Pillow's default), greyscale ones as luminance only. The recipe uses Pillow
/// (libjpeg); this uses SixLabors.ImageSharp 2.1 (Apache-2.0), whose encoder uses the same standard quantisation tables
/// scaled by quality, but whose DCT and rounding differ: pixels can differ from Pillow's by a few 8-bit levels.
/// Inputs are first rounded to 8 bits. Deterministic.
/// </summary>
public sealed class JpegCompression : Corruption
{
    static readonly int[] Quality = [80, 65, 58, 50, 40];

    public override string Name => "jpeg_compression";
    public override CorruptionFamily Family => CorruptionFamily.Digital;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        long n = images.shape[0], c = images.shape[1];
        int h = (int)images.shape[2], w = (int)images.shape[3];
        var input = CorruptionOps.ToBytes(images);
        var result = zeros([n, c, h, w], dtype: ScalarType.Byte);
        var encoder = new JpegEncoder
        {
            Quality = Pick(Quality, severity),
            ColorType = c == 3 ? JpegColorType.YCbCrRatio420 : JpegColorType.Luminance,
        };
        int plane = h * w;
        using var stream = new MemoryStream();
        for (long i = 0; i < n; i++)
        {
            int origin = (int)(i * c * plane);
            stream.SetLength(0);
            // Views of the tensors' native memory: no large managed arrays per batch.
            ReadOnlySpan<byte> bytes = input.bytes;
            Span<byte> output = result.bytes;
            if (c == 3)
            {
                using (var image = new Image<Rgb24>(w, h))
                {
                    for (int p = 0; p < plane; p++)
                        image[p % w, p / w] = new Rgb24(bytes[origin + p], bytes[origin + plane + p], bytes[origin + 2 * plane + p]);
                    image.SaveAsJpeg(stream, encoder);
                }
                stream.Position = 0;
                using var decoded = Image.Load<Rgb24>(stream);
                for (int p = 0; p < plane; p++)
                {
                    var pixel = decoded[p % w, p / w];
                    output[origin + p] = pixel.R;
                    output[origin + plane + p] = pixel.G;
                    output[origin + 2 * plane + p] = pixel.B;
                }
            }
            else
            {
                using (var image = new Image<L8>(w, h))
                {
                    for (int p = 0; p < plane; p++) image[p % w, p / w] = new L8(bytes[origin + p]);
                    image.SaveAsJpeg(stream, encoder);
                }
                stream.Position = 0;
                using var decoded = Image.Load<L8>(stream);
                for (int p = 0; p < plane; p++) output[origin + p] = decoded[p % w, p / w].PackedValue;
            }
        }
        return CorruptionOps.FromBytes(result);
    }
}
