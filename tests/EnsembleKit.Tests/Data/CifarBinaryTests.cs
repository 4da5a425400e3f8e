using EnsembleKit.Cli.Commands;
using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public class CifarBinaryTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Records with label byte(s) then 3072 pixel bytes; pixel (c, y, x) of record i = (i * 7 + c * 50 + y * 3 + x) mod 256.</summary>
    static byte[] Records(params byte[][] labels)
    {
        var file = new List<byte>();
        for (int i = 0; i < labels.Length; i++)
        {
            file.AddRange(labels[i]);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        file.Add((byte)((i * 7 + c * 50 + y * 3 + x) % 256));
        }
        return [.. file];
    }

    [Fact]
    public void ReadsCifar10RecordsIntoPlanarImages()
    {
        var folder = _temp.NewFolder();
        var path = Path.Combine(folder, "data_batch_1.bin");
        File.WriteAllBytes(path, Records([3], [9], [0]));
        var records = CifarBinaryReader.ReadCifar10(path);
        Assert.Equal(3, records.Count);
        Assert.Equal(new byte[] { 3, 9, 0 }, records.Labels);
        Assert.Null(records.CoarseLabels);

        using var data = Cifar10.ToDataset([records], "tiny", normalize: false);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, data.Inputs.shape);
        Assert.Equal(new long[] { 3, 9, 0 }, data.Targets.data<long>().ToArray());
        // record 2, channel 1 (G), row 5, column 30: (14 + 50 + 15 + 30) % 256 = 109
        Assert.Equal(109 / 255f, data.Inputs[2, 1, 5, 30].item<float>(), 6);
        // record 1, channel 2 (B), row 31, column 0: (7 + 100 + 93) = 200
        Assert.Equal(200 / 255f, data.Inputs[1, 2, 31, 0].item<float>(), 6);
    }

    [Fact]
    public void ReadsCifar100CoarseAndFineLabels()
    {
        var folder = _temp.NewFolder();
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), Records([19, 99], [4, 30]));
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), Records([0, 1]));
        var records = CifarBinaryReader.ReadCifar100(Path.Combine(folder, "train.bin"));
        Assert.Equal(new byte[] { 99, 30 }, records.Labels);
        Assert.Equal(new byte[] { 19, 4 }, records.CoarseLabels);

        using var fine = Cifar100.Load(train: true, folder: folder, verifySizes: false);
        using var coarse = Cifar100.Load(train: true, coarse: true, folder: folder, verifySizes: false);
        Assert.Equal(new long[] { 99, 30 }, fine.Targets.data<long>().ToArray());
        Assert.Equal(new long[] { 19, 4 }, coarse.Targets.data<long>().ToArray());
        Assert.Equal((100, 20), (fine.ClassCount, coarse.ClassCount));
        // record 1, channel 0, row 0, column 1: 7 + 1 = 8 (the second label byte must not shift the pixels)
        Assert.Equal(8 / 255f, fine.Inputs[1, 0, 0, 1].item<float>(), 6);

        var e = Assert.Throws<InvalidDataException>(() => Cifar100.Load(train: false, folder: folder));
        Assert.Contains("test.bin", e.Message);
        Assert.Contains("30,740,000", e.Message);
    }

    [Fact]
    public void WrongLengthNamesTheFileAndTheSizes()
    {
        var folder = _temp.NewFolder();
        var path = Path.Combine(folder, "data_batch_2.bin");
        File.WriteAllBytes(path, Records([1], [2])[..^5]); // 2 * 3073 - 5 = 6141 bytes
        var e = Assert.Throws<InvalidDataException>(() => CifarBinaryReader.ReadCifar10(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("6,141", e.Message);
        Assert.Contains("3073", e.Message);
        Assert.Contains("3,068 bytes left over", e.Message);

        // a CIFAR-10 file read as CIFAR-100 fails on length too (3073 is not a multiple of 3074)
        File.WriteAllBytes(path, Records([1]));
        Assert.Contains("3074", Assert.Throws<InvalidDataException>(() => CifarBinaryReader.ReadCifar100(path)).Message);
        File.WriteAllBytes(path, []);
        Assert.Throws<InvalidDataException>(() => CifarBinaryReader.ReadCifar10(path));
    }

    [Fact]
    public void OutOfRangeLabelsAreRejected()
    {
        var folder = _temp.NewFolder();
        var path = Path.Combine(folder, "x.bin");
        File.WriteAllBytes(path, Records([1], [10]));
        var e = Assert.Throws<InvalidDataException>(() => CifarBinaryReader.ReadCifar10(path));
        Assert.Contains("record 1", e.Message);
        Assert.Contains("label 10", e.Message);
        File.WriteAllBytes(path, Records([20, 5]));
        Assert.Contains("coarse label 20", Assert.Throws<InvalidDataException>(() => CifarBinaryReader.ReadCifar100(path)).Message);
    }

    [Fact]
    public void Cifar10LoadChecksTheOfficialChecksums()
    {
        var folder = _temp.NewFolder();
        foreach (var f in Cifar10.AllFiles) File.WriteAllBytes(Path.Combine(folder, f.Name), Records([1], [2]));
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.Load(train: false, folder: folder));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("30,730,000", e.Message);
        using var unchecked_ = Cifar10.Load(train: true, folder: folder, verifyChecksums: false);
        Assert.Equal(10, unchecked_.Count);
        Assert.Throws<FileNotFoundException>(() => Cifar10.Load(train: true, download: false, folder: _temp.NewFolder()));
    }

    [Fact]
    public void Cifar10LoadCountKeepsTheFirstImagesAndReadsOnlyTheFilesNeeded()
    {
        // five training files of two records each, labels 0..9 in file order
        var folder = _temp.NewFolder();
        for (int f = 0; f < Cifar10.TrainFiles.Count; f++)
            File.WriteAllBytes(Path.Combine(folder, Cifar10.TrainFiles[f].Name), Records([(byte)(2 * f)], [(byte)(2 * f + 1)]));
        using var all = Cifar10.Load(train: true, folder: folder, verifyChecksums: false);
        using var three = Cifar10.Load(train: true, folder: folder, verifyChecksums: false, count: 3);
        Assert.Equal(3, three.Count);
        Assert.Equal([0L, 1, 2], three.Targets.data<long>().ToArray());
        Assert.True(three.Inputs.allclose(all.Inputs.narrow(0, 0, 3), rtol: 0, atol: 0));
        Assert.Contains("first 3", three.Name);
        // a missing later file does not matter when the first files hold enough images
        File.Delete(Path.Combine(folder, Cifar10.TrainFiles[^1].Name));
        using var four = Cifar10.Load(train: true, folder: folder, verifyChecksums: false, count: 4, normalize: true);
        Assert.Equal(4, four.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10.Load(train: false, folder: folder, verifyChecksums: false, count: 0));
        File.WriteAllBytes(Path.Combine(folder, Cifar10.TestFile.Name), Records([1], [2]));
        Assert.Contains("has 2 images", Assert.Throws<ArgumentOutOfRangeException>(() => Cifar10.Load(train: false, folder: folder, verifyChecksums: false, count: 5)).Message);
    }

    [Fact]
    public void SearchOrderStartsWithKitData()
    {
        var folder = _temp.NewFolder();
        var previous = Environment.GetEnvironmentVariable("KIT_DATA");
        try
        {
            Environment.SetEnvironmentVariable("KIT_DATA", folder);
            var order = Cifar10.SearchFolders().ToList();
            Assert.Equal(Path.Combine(folder, "cifar-10-batches-bin"), order[0]);
            Assert.Equal(folder, order[1]);
            Assert.EndsWith(Path.Combine("data", "cifar-10-batches-bin"), order[2]);
            Assert.EndsWith(Path.Combine("ensemblekit", "data", "cifar-10-batches-bin"), order[3]);
            Assert.Equal(Path.Combine(folder, "cifar-10-batches-bin"), DataFolders.DownloadTarget("cifar-10-batches-bin"));
            Assert.Contains(DatasetRegistry.Describe(), s => s.Name == "cifar-10");
        }
        finally
        {
            Environment.SetEnvironmentVariable("KIT_DATA", previous);
        }
    }
}
