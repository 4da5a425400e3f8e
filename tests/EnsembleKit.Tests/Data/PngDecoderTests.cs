using EnsembleKit.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using PngDecoder = EnsembleKit.Data.PngDecoder;

namespace EnsembleKit.Tests.Data;

public class PngDecoderTests
{
    // 3x2 RGB made with Python's zlib by hand: row 0 filter Sub, row 1 filter Paeth, plus a tEXt chunk.
    const string GoldenHex =
        "89504e470d0a1a0a0000000d49484452000000030000000208020000001216f14d0000000e74455874436f6d6d656e7400676f6c64656e0bf7abeb" +
        "0000001449444154789c63e412918300165630686a5a000011df02b8a10997c40000000049454e44ae426082";

    [Fact]
    public void DecodesAnIndependentlyMadePng()
    {
        var image = PngDecoder.Decode(Convert.FromHexString(GoldenHex), "golden");
        Assert.Equal((3, 2, 3), (image.Width, image.Height, image.Channels));
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 15, 25, 35, 45, 55, 65, 200, 210, 250 }, image.Pixels);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(2, 3)]
    [InlineData(1, 4)]
    public void RoundTripsEveryFilterAndColourType(int channels, int filter)
    {
        int width = 17, height = 5;
        var pixels = TestFiles.RandomBytes(width * height * channels, seed: channels * 10 + filter);
        var png = TestFiles.Png(width, height, channels, pixels, [filter]);
        var image = PngDecoder.Decode(png, "roundtrip");
        Assert.Equal((width, height, channels), (image.Width, image.Height, image.Channels));
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void RoundTripsMixedFiltersRowByRow()
    {
        var pixels = TestFiles.RandomBytes(9 * 7 * 3, seed: 5);
        var image = PngDecoder.Decode(TestFiles.Png(9, 7, 3, pixels, [4, 0, 3, 1, 2]), "mixed");
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void RejectsWhatItCannotDecodeNamingTheSource()
    {
        var good = Convert.FromHexString(GoldenHex);

        var notPng = (byte[])good.Clone();
        notPng[1] = (byte)'X';
        Assert.Contains("signature", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(notPng, "a.png")).Message);

        var badCrc = (byte[])good.Clone();
        badCrc[20] ^= 0xFF; // inside IHDR data
        Assert.Contains("b.png", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(badCrc, "b.png")).Message);
        Assert.Contains("c.png", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(good[..30], "c.png")).Message);
    }

    [Theory]
    [InlineData(PngColorType.Palette, PngBitDepth.Bit8, PngInterlaceMode.None, 3)]
    [InlineData(PngColorType.Rgb, PngBitDepth.Bit16, PngInterlaceMode.None, 3)]
    [InlineData(PngColorType.RgbWithAlpha, PngBitDepth.Bit8, PngInterlaceMode.Adam7, 4)]
    [InlineData(PngColorType.Grayscale, PngBitDepth.Bit8, PngInterlaceMode.Adam7, 1)]
    public void ReadsPalettesSixteenBitsAndInterlacing(PngColorType colour, PngBitDepth depth, PngInterlaceMode interlace, int channels)
    {
        // An image of few colours (so that a palette is lossless), written by ImageSharp's encoder in the given form.
        int width = 11, height = 6;
        using var source = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                byte v = (byte)(40 * ((x + 2 * y) % 6));
                source[x, y] = colour == PngColorType.Grayscale ? new Rgba32(v, v, v, 255) : new Rgba32(v, (byte)(255 - v), (byte)(x * 20), (byte)(colour == PngColorType.RgbWithAlpha ? 100 + y : 255));
            }
        using var stream = new MemoryStream();
        source.SaveAsPng(stream, new PngEncoder { ColorType = colour, BitDepth = depth, InterlaceMethod = interlace });
        var image = PngDecoder.Decode(stream.ToArray(), "encoded");
        Assert.Equal((width, height, channels), (image.Width, image.Height, image.Channels));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var expected = source[x, y];
                int at = (y * width + x) * channels;
                Assert.Equal(expected.R, image.Pixels[at]);
                if (channels >= 3) Assert.Equal((expected.G, expected.B), (image.Pixels[at + 1], image.Pixels[at + 2]));
                if (channels == 4) Assert.Equal(expected.A, image.Pixels[at + 3]);
            }
    }
}
