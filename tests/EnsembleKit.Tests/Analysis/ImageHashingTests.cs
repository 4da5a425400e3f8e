using System.Text.Json;
using EnsembleKit.Analysis;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

/// <summary>
/// The hashes match tests/reference/image_hash_reference.py, which computes them with Pillow, scipy and PyWavelets as the
/// Python imagehash library does (S2's tool), on synthetic grayscale and RGB images of several sizes.
/// </summary>
public class ImageHashingTests
{
    static JsonElement[] Cases() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "image_hash_reference.json")))
            .RootElement.GetProperty("cases").EnumerateArray().ToArray();

    public static IEnumerable<object[]> CaseNames() => Cases().Select(c => new object[] { c.GetProperty("name").GetString()! });

    static JsonElement Case(string name) => Cases().Single(c => c.GetProperty("name").GetString() == name);

    static HashImage Image(JsonElement c) => HashImage.FromBytes(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(),
        c.GetProperty("channels").GetInt32(), Convert.FromBase64String(c.GetProperty("pixels").GetString()!));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GrayscaleHsvAndLanczosResizeMatchPillow(string name)
    {
        var c = Case(name);
        var image = Image(c);
        Assert.Equal(Convert.FromBase64String(c.GetProperty("luminance").GetString()!), image.Luminance());
        Assert.Equal(Convert.FromBase64String(c.GetProperty("hsv").GetString()!), image.Hsv());
        foreach (var resized in c.GetProperty("resized").EnumerateObject())
        {
            var size = resized.Name.Split('x').Select(int.Parse).ToArray();
            var expected = Convert.FromBase64String(resized.Value.GetString()!);
            Assert.Equal(expected, PilResample.Resize(image.Luminance(), image.Width, image.Height, size[0], size[1]));
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void HashesMatchTheReference(string name)
    {
        var c = Case(name);
        var image = Image(c);
        Assert.Equal(c.GetProperty("ahash").GetString(), ImageHashing.AverageHash(image).ToHex());
        Assert.Equal(c.GetProperty("phash").GetString(), ImageHashing.PerceptualHash(image).ToHex());
        Assert.Equal(c.GetProperty("dhash").GetString(), ImageHashing.DifferenceHash(image).ToHex());
        Assert.Equal(c.GetProperty("whash").GetString(), ImageHashing.WaveletHash(image).ToHex());
        Assert.Equal(c.GetProperty("colorhash").GetString(), ImageHashing.ColorHash(image).ToHex());
        Assert.Equal(c.GetProperty("ahash16").GetString(), ImageHashing.AverageHash(image, new HashOptions { HashSize = 16 }).ToHex());
        Assert.Equal(c.GetProperty("colorhash4").GetString(), ImageHashing.ColorHash(image, new HashOptions { ColorBinBits = 4 }).ToHex());
    }

    [Fact]
    public void HashLengthsAndHex()
    {
        var image = Image(Cases()[0]);
        Assert.Equal(64, ImageHashing.Compute(image, HashKind.Perceptual).Length);
        var colour = ImageHashing.Compute(image, HashKind.Color);
        Assert.Equal(42, colour.Length); // 14 fractions x 3 bits, not 64
        Assert.Equal(11, colour.ToHex().Length);
        // bits 1,0,1,1 then 0,0,0,1 -> "b1"; 6 bits 1,1,1,1,1,1 -> 0b111111 = "3f"
        Assert.Equal("b1", new ImageHash([true, false, true, true, false, false, false, true], 2, 4).ToHex());
        Assert.Equal("3f", new ImageHash([true, true, true, true, true, true], 2, 3).ToHex());
    }

    [Fact]
    public void HammingDistanceCountsDifferingBits()
    {
        var a = new ImageHash([true, false, true, true], 2, 2);
        var b = new ImageHash([false, false, true, false], 2, 2);
        Assert.Equal(2, a.Distance(b));
        Assert.Equal(0, a.Distance(a));
        Assert.Throws<ArgumentException>(() => a.Distance(new ImageHash([true, false], 1, 2)));
    }

    [Fact]
    public void ConstantImageHashesByHand()
    {
        var grey = HashImage.FromBytes(20, 20, 1, Enumerable.Repeat((byte)100, 400).ToArray());
        // every pixel equals the mean: no bit set; no gradient: no bit set
        Assert.Equal("0000000000000000", ImageHashing.AverageHash(grey).ToHex());
        Assert.Equal("0000000000000000", ImageHashing.DifferenceHash(grey).ToHex());
        // colour hash: no black (100 >= 32), all grey (S = 0): grey fraction 1 -> min(7, 8) = 7 -> bits 111; all else 0
        // values [0, 7, 0 x 12] -> bits 000 111 0...0 (42 bits) -> hex of 0b00 000111 000... = "07000000000"
        Assert.Equal("07000000000", ImageHashing.ColorHash(grey).ToHex());
        var black = HashImage.FromBytes(4, 4, 3, new byte[48]);
        // all black: black fraction 1 -> 7 -> bits 111 first -> 0b00 111000 ... = "38000000000"
        Assert.Equal("38000000000", ImageHashing.ColorHash(black).ToHex());
    }

    [Fact]
    public void TensorsConvertLikeTorchvision()
    {
        // [H, W] floats in [0, 1]: x * 255 truncated, values outside clamped
        using var gray = tensor(new float[] { 0f, 0.5f, 1f, 1.7f, -0.2f, 0.999f }).reshape(2, 3);
        var image = HashImage.FromTensor(gray);
        Assert.Equal((3, 2, 1), (image.Width, image.Height, image.Channels));
        Assert.Equal([0, 127, 255, 255, 0, 254], image.Pixels);
        // [3, H, W] channels first -> interleaved RGB
        using var rgb = tensor(new byte[] { 1, 2, 3, 4, 10, 20, 30, 40, 100, 110, 120, 130 }).reshape(3, 2, 2);
        Assert.Equal([1, 10, 100, 2, 20, 110, 3, 30, 120, 4, 40, 130], HashImage.FromTensor(rgb).Pixels);
        // min-max normalisation: [-1, 0, 1] -> [0, .5, 1] -> [0, 127, 255]
        using var map = tensor(new double[] { -1, 0, 1 }).reshape(1, 3);
        Assert.Equal([0, 127, 255], HashImage.FromTensor(map, minMaxNormalise: true).Pixels);
        using var map32 = tensor(new float[] { 2, 4, 6 }).reshape(1, 3);
        Assert.Equal([0, 127, 255], HashImage.FromTensor(map32, minMaxNormalise: true).Pixels);
        using var flat = full(new long[] { 2, 2 }, 3.0f);
        Assert.Equal([0, 0, 0, 0], HashImage.FromTensor(flat, minMaxNormalise: true).Pixels);
        using var batch = rand(5, 3, 8, 8);
        Assert.Equal(5, HashImage.FromBatch(batch).Count);
        using var wrong = rand(2, 8, 8);
        Assert.Throws<ArgumentException>(() => HashImage.FromTensor(wrong));
    }

    [Fact]
    public void SiblingDistancesAreSummarisedWithStandardError()
    {
        var g = new Generator(7);
        using var a = rand([6, 3, 32, 32], generator: g);
        using var same = a.clone();
        var zero = HashDiversity.Between(a, same, HashKind.Perceptual);
        Assert.Equal(0.0, zero.Mean);
        Assert.Equal(64, zero.Bits);
        using var b = rand([6, 3, 32, 32], generator: g);
        var random = HashDiversity.Between(a, b, HashKind.Average);
        Assert.Equal(6, random.Distances.Length);
        Assert.InRange(random.Mean, 16, 48); // unrelated noise images: about 32 of 64 bits
        double mean = random.Distances.Average();
        double std = Math.Sqrt(random.Distances.Sum(d => (d - mean) * (d - mean)) / 5);
        Assert.Equal(std / Math.Sqrt(6), random.StandardError, 12);
        // each distance is the Hamming distance of that pair's hashes
        var imagesA = HashImage.FromBatch(a);
        var imagesB = HashImage.FromBatch(b);
        Assert.Equal(ImageHashing.AverageHash(imagesA[2]).Distance(ImageHashing.AverageHash(imagesB[2])), random.Distances[2]);
        var all = HashDiversity.Between(imagesA, imagesB, Enum.GetValues<HashKind>());
        Assert.Equal(5, all.Count);
        Assert.Equal(42, all.Single(s => s.Kind == HashKind.Color).Bits);

        var matrix = HashDiversity.MeanDistanceMatrix([imagesA, imagesB, imagesA], HashKind.Average);
        Assert.Equal(random.Mean, matrix[0, 1], 12);
        Assert.Equal(0.0, matrix[0, 2]);
        Assert.Equal(matrix[1, 2], matrix[2, 1]);
        Assert.Throws<ArgumentException>(() => HashDiversity.Between(imagesA, imagesB.Take(3).ToList(), HashKind.Average));
    }

    [Fact]
    public void MapRmseByHand()
    {
        using var a = tensor(new double[] { 0, 1, 2, 3 });
        using var b = tensor(new double[] { 0, 1, 2, 4 });
        // raw: sqrt(1/4) = 0.5; normalised: a -> [0 1/3 2/3 1], b -> [0 1/4 1/2 1]: sqrt((1/144 + 1/36) / 4)
        Assert.Equal(0.5, HashDiversity.MapRmse(a, b, minMaxNormalise: false), 12);
        Assert.Equal(Math.Sqrt((1.0 / 144 + 1.0 / 36) / 4), HashDiversity.MapRmse(a, b), 12);
    }
}
