using System.IO.Compression;
using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public class IdxReaderTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static byte[] Idx(int[] dims, int dataBytes, byte type = 0x08)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (var d in dims) bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        bytes.AddRange(Enumerable.Range(0, dataBytes).Select(i => (byte)(i % 251)));
        return bytes.ToArray();
    }

    [Fact]
    public void ReadsRawAndGzip()
    {
        var folder = _temp.NewFolder();
        var raw = Path.Combine(folder, "a-idx3-ubyte");
        File.WriteAllBytes(raw, Idx([2, 3, 4], 24));
        var gz = raw + ".gz";
        using (var f = File.Create(gz))
        using (var z = new GZipStream(f, CompressionLevel.Fastest))
            z.Write(Idx([2, 3, 4], 24));
        foreach (var path in new[] { raw, gz })
        {
            var array = IdxReader.Read(path);
            Assert.Equal(new[] { 2, 3, 4 }, array.Dimensions);
            Assert.Equal(24, array.Data.Length);
            Assert.Equal(23, array.Data[23]);
        }
    }

    [Fact]
    public void TruncatedFileNamesFileAndSizes()
    {
        var path = Path.Combine(_temp.NewFolder(), "t10k-images-idx3-ubyte");
        File.WriteAllBytes(path, Idx([10, 28, 28], 1000));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("7,840", e.Message);   // expected data bytes
        Assert.Contains("1,000", e.Message);   // found
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void BadMagicAndTypeAreReported()
    {
        var bad = Idx([4], 4);
        bad[0] = 0x1f; bad[1] = 0x7a;
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(bad, "x.idx"));
        Assert.Contains("magic", e.Message);
        Assert.Contains("x.idx", e.Message);
        var floats = Idx([4], 16, type: 0x0d);
        e = Assert.Throws<InvalidDataException>(() => IdxReader.Parse(floats, "f.idx"));
        Assert.Contains("0x0d", e.Message);
        Assert.Throws<InvalidDataException>(() => IdxReader.Parse([0, 0, 8], "short.idx"));
    }

    [Fact]
    public void CorruptGzipIsReportedWithTheFile()
    {
        var path = Path.Combine(_temp.NewFolder(), "x-idx1-ubyte.gz");
        using (var f = File.Create(path))
        using (var z = new GZipStream(f, CompressionLevel.Fastest))
            z.Write(Idx([5000], 5000));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsAny<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void MissingFileSaysWhichOne()
    {
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.Read("/nonexistent/train-images-idx3-ubyte"));
        Assert.Contains("/nonexistent/train-images-idx3-ubyte", e.Message);
    }
}
