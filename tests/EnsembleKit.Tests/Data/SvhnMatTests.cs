using EnsembleKit.Data;
using static EnsembleKit.Tests.Data.TestFiles;

namespace EnsembleKit.Tests.Data;

public class SvhnMatTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>X(r, c, ch, n) = (r + 2c + 5ch + 11n) mod 256, written column-major as MATLAB stores [32, 32, 3, N].</summary>
    static byte[] SvhnPixels(int n)
    {
        var x = new byte[32 * 32 * 3 * n];
        for (int img = 0; img < n; img++)
            for (int ch = 0; ch < 3; ch++)
                for (int c = 0; c < 32; c++)
                    for (int r = 0; r < 32; r++)
                        x[r + 32 * (c + 32 * (ch + 3 * img))] = (byte)((r + 2 * c + 5 * ch + 11 * img) % 256);
        return x;
    }

    static byte[] SvhnFile(bool compress, MatVariable labels, int n = 3) => Mat(compress,
        new MatVariable("X", MxUInt8, [32, 32, 3, n], MiUInt8, SvhnPixels(n)),
        labels);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsXAndYAndMapsLabelTenToZero(bool compress)
    {
        var folder = _temp.NewFolder();
        File.WriteAllBytes(Path.Combine(folder, "test_32x32.mat"),
            SvhnFile(compress, new MatVariable("y", MxDouble, [3, 1], MiDouble, Doubles(10, 1, 7))));
        using var data = Svhn.Load("test", folder: folder, verifyChecksums: false);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, data.Inputs.shape);
        Assert.Equal(new long[] { 0, 1, 7 }, data.Targets.data<long>().ToArray());
        // inputs[n, ch, row, col] = X(row, col, ch, n): n 2, ch 1, row 4, col 30 -> 4 + 60 + 5 + 22 = 91
        Assert.Equal(91 / 255f, data.Inputs[2, 1, 4, 30].item<float>(), 6);
        // row and column must not be swapped: row 30, col 4 -> 30 + 8 + 5 + 22 = 65
        Assert.Equal(65 / 255f, data.Inputs[2, 1, 30, 4].item<float>(), 6);
    }

    [Fact]
    public void AcceptsLabelsStoredAsUInt8AndSkipsOtherVariables()
    {
        var bytes = Mat(true,
            new MatVariable("__version__", MxChar, [1, 3], MiInt8, "1.0"u8.ToArray()),
            new MatVariable("X", MxUInt8, [32, 32, 3, 2], MiUInt8, SvhnPixels(2)),
            // MATLAB stores a double array as uint8 when the values fit
            new MatVariable("y", MxDouble, [2, 1], MiUInt8, [3, 10]));
        var variables = MatReader.Parse(bytes, "mem.mat");
        Assert.Equal(["X", "y"], variables.Keys.Order());
        Assert.Equal(new double[] { 3, 10 }, variables["y"].ToDoubles());
        Assert.Equal(new[] { 32, 32, 3, 2 }, variables["X"].Dimensions);
    }

    [Fact]
    public void BadFilesGetSpecificErrors()
    {
        var good = SvhnFile(true, new MatVariable("y", MxDouble, [3, 1], MiDouble, Doubles(1, 2, 3)));

        var v73 = (byte[])good.Clone();
        "MATLAB 7.3 MAT-file"u8.CopyTo(v73);
        Assert.Contains("v7.3", Assert.Throws<InvalidDataException>(() => MatReader.Parse(v73, "a.mat")).Message);

        var text = (byte[])good.Clone();
        text[0] = (byte)'X';
        Assert.Contains("not a MATLAB level-5", Assert.Throws<InvalidDataException>(() => MatReader.Parse(text, "b.mat")).Message);

        var bigEndian = (byte[])good.Clone();
        (bigEndian[126], bigEndian[127]) = ((byte)'M', (byte)'I');
        Assert.Contains("big-endian", Assert.Throws<InvalidDataException>(() => MatReader.Parse(bigEndian, "c.mat")).Message);

        var truncated = good[..(good.Length - 100)];
        var e = Assert.Throws<InvalidDataException>(() => MatReader.Parse(truncated, "d.mat"));
        Assert.Contains("d.mat", e.Message);
        Assert.Contains("truncated", e.Message);

        var corrupt = (byte[])good.Clone();
        for (int i = 200; i < 260; i++) corrupt[i] ^= 0x5A;
        Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => MatReader.Parse(corrupt, "e.mat")).Message);

        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => MatReader.Parse(new byte[50], "f.mat")).Message);
    }

    [Fact]
    public void SvhnValidatesShapesAndLabels()
    {
        var folder = _temp.NewFolder();
        var path = Path.Combine(folder, "train_32x32.mat");
        File.WriteAllBytes(path, SvhnFile(true, new MatVariable("y", MxDouble, [2, 1], MiDouble, Doubles(1, 2))));
        Assert.Contains("expected [3, 1]", Assert.Throws<InvalidDataException>(() => Svhn.Load("train", folder, verifyChecksums: false)).Message);

        File.WriteAllBytes(path, SvhnFile(true, new MatVariable("y", MxDouble, [3, 1], MiDouble, Doubles(1, 11, 2))));
        Assert.Contains("y[1] is 11", Assert.Throws<InvalidDataException>(() => Svhn.Load("train", folder, verifyChecksums: false)).Message);

        File.WriteAllBytes(path, Mat(true, new MatVariable("X", MxUInt8, [32, 32, 1, 2], MiUInt8, new byte[2048]),
            new MatVariable("y", MxDouble, [2, 1], MiDouble, Doubles(1, 2))));
        Assert.Contains("expected [32, 32, 3, N]", Assert.Throws<InvalidDataException>(() => Svhn.Load("train", folder, verifyChecksums: false)).Message);

        // the official checksum is checked by default
        var e = Assert.Throws<InvalidDataException>(() => Svhn.Load("train", folder));
        Assert.Contains("182,040,794", e.Message);
        Assert.Throws<ArgumentException>(() => Svhn.Load("validation", folder));
    }
}
