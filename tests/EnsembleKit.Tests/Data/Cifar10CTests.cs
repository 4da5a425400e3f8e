using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public class Cifar10CTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>pixel (n, y, x, c) of a [N, 32, 32, 3] uint8 array = (3n + 5y + 7x + 50c) mod 256.</summary>
    static byte[] Images(int n)
    {
        var data = new byte[n * 3072];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                    for (int c = 0; c < 3; c++)
                        data[((i * 32 + y) * 32 + x) * 3 + c] = (byte)((3 * i + 5 * y + 7 * x + 50 * c) % 256);
        return data;
    }

    string Folder(int n, string labelDescr = "<i8", int major = 1)
    {
        var folder = _temp.NewFolder();
        File.WriteAllBytes(Path.Combine(folder, "fog.npy"), TestFiles.Npy("|u1", [n, 32, 32, 3], Images(n), major));
        var labels = Enumerable.Range(0, n).Select(i => (long)(i % 10)).ToArray();
        byte[] labelBytes = labelDescr == "|u1" ? labels.Select(l => (byte)l).ToArray()
            : labels.SelectMany(BitConverter.GetBytes).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "labels.npy"), TestFiles.Npy(labelDescr, [n], labelBytes, major));
        return folder;
    }

    [Theory]
    [InlineData("<i8", 1)]
    [InlineData("|u1", 2)]
    public void LoadsOneSeverityBlockAsNchw(string labelDescr, int major)
    {
        var folder = Folder(10, labelDescr, major);
        using var s3 = Cifar10C.Load("fog", severity: 3, folder: folder);
        Assert.Equal(new long[] { 2, 3, 32, 32 }, s3.Inputs.shape);
        Assert.Equal(new long[] { 4, 5 }, s3.Targets.data<long>().ToArray()); // rows 4 and 5
        // row 5 (second of the block), channel 2, y 1, x 30: 15 + 5 + 210 + 100 = 330 mod 256 = 74
        Assert.Equal(74 / 255f, s3.Inputs[1, 2, 1, 30].item<float>(), 6);
        // y and x not swapped: y 30, x 1 -> 15 + 150 + 7 + 100 = 272 mod 256 = 16
        Assert.Equal(16 / 255f, s3.Inputs[1, 2, 30, 1].item<float>(), 6);
    }

    [Fact]
    public void NpyHeaderAndDataAreParsed()
    {
        var bytes = TestFiles.Npy("<f4", [2, 3], new float[] { 1, 2, 3, 4, 5, 6.5f }.SelectMany(BitConverter.GetBytes).ToArray());
        var array = NpyReader.Parse(bytes, "mem.npy");
        Assert.Equal(new long[] { 2, 3 }, array.Shape);
        Assert.Equal(0, (bytes.Length - 24) % 64); // header padded to 64 as NumPy does
        using var t = array.ToTensor();
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(6.5f, t[1, 2].item<float>());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, NpyReader.Parse(TestFiles.Npy("<f4", [5], new float[] { 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes).ToArray()), "m").ToInt64());
    }

    [Fact]
    public void BadNpyFilesGetSpecificErrors()
    {
        var good = TestFiles.Npy("|u1", [4, 32, 32, 3], new byte[4 * 3072]);
        var badMagic = (byte[])good.Clone();
        badMagic[1] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => NpyReader.Parse(badMagic, "a.npy")).Message);

        var e = Assert.Throws<InvalidDataException>(() => NpyReader.Parse(good[..^10], "b.npy"));
        Assert.Contains("b.npy", e.Message);
        Assert.Contains("12,288 data bytes", e.Message);
        Assert.Contains("truncated", e.Message);

        Assert.Contains("Fortran", Assert.Throws<InvalidDataException>(() =>
            NpyReader.Parse(TestFiles.Npy("|u1", [2, 2], new byte[4], fortran: true), "c.npy")).Message);
        Assert.Contains("'>i8'", Assert.Throws<InvalidDataException>(() =>
            NpyReader.Parse(TestFiles.Npy(">i8", [1], new byte[8]), "d.npy")).Message);
        var v9 = (byte[])good.Clone();
        v9[6] = 9;
        Assert.Contains("version 9.0", Assert.Throws<InvalidDataException>(() => NpyReader.Parse(v9, "e.npy")).Message);
    }

    [Fact]
    public void Cifar10CValidatesItsArguments()
    {
        var folder = Folder(10);
        Assert.Throws<ArgumentException>(() => Cifar10C.Load("rain", 1, folder));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10C.Load("fog", 6, folder));
        Assert.Contains("snow.npy is missing", Assert.Throws<FileNotFoundException>(() => Cifar10C.Load("snow", 1, folder)).Message);
        File.WriteAllBytes(Path.Combine(folder, "labels.npy"), TestFiles.Npy("<i8", [9], new byte[72]));
        Assert.Contains("expected labels [10]", Assert.Throws<InvalidDataException>(() => Cifar10C.Load("fog", 1, folder)).Message);
    }
}
