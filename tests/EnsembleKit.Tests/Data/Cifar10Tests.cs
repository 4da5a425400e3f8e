using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// Checks on the real CIFAR-10 files when they are present (after <c>kit data fetch cifar10</c>); without
/// them, that loading fails with the message that says how to get them.
/// </summary>
public class Cifar10Tests
{
    [Fact]
    public void TheTestSplitIsTheOfficialOneOrTheErrorSaysHowToGetIt()
    {
        if (Cifar10.FindFolder() is null)
        {
            var e = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(train: false, download: false));
            Assert.Contains("kit data fetch cifar10", e.Message);
            Assert.Contains("cifar-10-batches-bin", e.Message);
            return;
        }
        using var test = Cifar10.Load(train: false);
        Assert.Equal(new long[] { 10_000, 3, 32, 32 }, test.Inputs.shape);
        Assert.All(test.Targets.bincount(null, 10).data<long>().ToArray(), c => Assert.Equal(1000, c));
        // the first three test images are a cat, a ship and a ship
        Assert.Equal(new long[] { 3, 8, 8 }, test.Targets.narrow(0, 0, 3).data<long>().ToArray());
        Assert.InRange(test.Inputs.min().item<float>(), 0f, 0f);
        Assert.InRange(test.Inputs.max().item<float>(), 1f, 1f);
    }

    [Fact]
    public void TheNormalisationConstantsAreTheTrainingSetStatistics()
    {
        if (Cifar10.FindFolder() is not { } folder) return; // covered by the test above
        // per-channel histograms of the 50,000 x 1,024 training pixels, straight from the files (no tensors)
        var histogram = new long[3][] { new long[256], new long[256], new long[256] };
        foreach (var file in Cifar10.TrainFiles)
        {
            var pixels = CifarBinaryReader.ReadCifar10(Path.Combine(folder, file.Name)).Pixels;
            for (int plane = 0; plane < pixels.Length / 1024; plane++)
            {
                var counts = histogram[plane % 3];
                foreach (var v in pixels.AsSpan(plane * 1024, 1024)) counts[v]++;
            }
        }
        for (int c = 0; c < 3; c++)
        {
            double n = 0, sum = 0, squares = 0;
            for (int v = 0; v < 256; v++)
            {
                n += histogram[c][v];
                sum += histogram[c][v] * (v / 255.0);
                squares += histogram[c][v] * (v / 255.0) * (v / 255.0);
            }
            Assert.Equal(50_000 * 1024, n);
            double mean = sum / n, std = Math.Sqrt(squares / n - mean * mean);
            Assert.Equal(Cifar10.Mean[c], mean, 4);
            Assert.Equal(Cifar10.Std[c], std, 4);
        }
    }
}
