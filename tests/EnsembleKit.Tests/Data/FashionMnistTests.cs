using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public class FashionMnistTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LoadsTheCanonicalTestSplit()
    {
        using var test = FashionMnist.Load(train: false);
        Assert.Equal(new long[] { 10_000, 784 }, test.Inputs.shape);
        Assert.Equal(10_000, test.Count);
        // the official test set has exactly 1,000 images per class
        var counts = test.Targets.bincount(null, 10).data<long>().ToArray();
        Assert.All(counts, c => Assert.Equal(1000, c));
        // standardised with the training mean/std: the test mean is close to 0
        Assert.InRange(test.Inputs.mean().item<float>(), -0.05, 0.05);
    }

    [Fact]
    public void MissingDatasetSaysHowToGetIt()
    {
        var empty = _temp.NewFolder();
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(train: true, folder: empty));
        Assert.Contains(empty, e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void CorruptedContentFailsTheChecksum()
    {
        var source = FashionMnist.FindFolder() ?? throw new InvalidOperationException("Fashion-MNIST is needed for this test.");
        var folder = _temp.NewFolder();
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        // replace the test labels with a raw copy that has one label changed
        var labelsGz = Path.Combine(folder, "t10k-labels-idx1-ubyte.gz");
        var labels = IdxReader.Read(File.Exists(labelsGz) ? labelsGz : Path.Combine(folder, "t10k-labels-idx1-ubyte"));
        if (File.Exists(labelsGz)) File.Delete(labelsGz);
        var bytes = new byte[8 + labels.Data.Length];
        bytes[2] = 8; bytes[3] = 1;
        BitConverter.GetBytes(labels.Dimensions[0]).Reverse().ToArray().CopyTo(bytes, 4);
        labels.Data.CopyTo(bytes, 8);
        bytes[100] = (byte)((bytes[100] + 1) % 10);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), bytes);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(train: false, folder: folder));
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void KitDataFolderComesFirst()
    {
        var folder = _temp.NewFolder();
        var previous = Environment.GetEnvironmentVariable("KIT_DATA");
        try
        {
            Environment.SetEnvironmentVariable("KIT_DATA", folder);
            Assert.Equal(Path.Combine(folder, "fashion-mnist"), FashionMnist.SearchFolders().First());
        }
        finally
        {
            Environment.SetEnvironmentVariable("KIT_DATA", previous);
        }
    }
}
