using EnsembleKit.Data;

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
    public void RejectsWhatItCannotDecode()
    {
        var good = Convert.FromHexString(GoldenHex);

        var notPng = (byte[])good.Clone();
        notPng[1] = (byte)'X';
        Assert.Contains("signature", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(notPng, "a.png")).Message);

        var badCrc = (byte[])good.Clone();
        badCrc[20] ^= 0xFF; // inside IHDR data
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(badCrc, "b.png"));
        Assert.Contains("b.png", e.Message);
        Assert.Contains("CRC mismatch in chunk 'IHDR'", e.Message);

        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(good[..60], "c.png")).Message);
        Assert.Contains("bit depth 16", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(WithHeader(depth: 16, colour: 2, interlace: 0), "d.png")).Message);
        Assert.Contains("palette", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(WithHeader(depth: 8, colour: 3, interlace: 0), "e.png")).Message);
        Assert.Contains("interlaced", Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(WithHeader(depth: 8, colour: 2, interlace: 1), "f.png")).Message);
    }

    [Fact]
    public void RejectsABadFilterTypeAndShortImageData()
    {
        var pixels = TestFiles.RandomBytes(4 * 2 * 3, seed: 1);
        // filter byte 7 in row 1
        var raw = new byte[] { 0 }.Concat(pixels[..12]).Concat(new byte[] { 7 }).Concat(pixels[12..]).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(Build(4, 2, 2, TestFiles.Zlib(raw)), "g.png"));
        Assert.Contains("row 1 has filter type 7", e.Message);
        var shortData = Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(Build(4, 2, 2, TestFiles.Zlib(raw[..20])), "h.png"));
        Assert.Contains("expected 26", shortData.Message);
    }

    static byte[] WithHeader(byte depth, byte colour, byte interlace)
    {
        var header = new byte[] { 0, 0, 0, 4, 0, 0, 0, 2, depth, colour, 0, 0, interlace };
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        TestFiles.Chunk(png, "IHDR", header);
        TestFiles.Chunk(png, "IDAT", TestFiles.Zlib(new byte[100]));
        TestFiles.Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static byte[] Build(int width, int height, byte colour, byte[] idat)
    {
        var header = new byte[] { 0, 0, 0, (byte)width, 0, 0, 0, (byte)height, 8, colour, 0, 0, 0 };
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        TestFiles.Chunk(png, "IHDR", header);
        TestFiles.Chunk(png, "IDAT", idat);
        TestFiles.Chunk(png, "IEND", []);
        return png.ToArray();
    }
}
