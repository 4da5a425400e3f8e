using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

public class SpiralDatasetTests
{
    [Fact]
    public void PointsLieOnTheirClassArm()
    {
        using var data = SpiralDataset.Generate(200, classes: 3, noise: 0, seed: 1, turns: 1.5);
        Assert.Equal(new long[] { 600, 2 }, data.Inputs.shape);
        Assert.Equal(ScalarType.Float32, data.Inputs.dtype);
        Assert.Equal(ScalarType.Int64, data.Targets.dtype);
        var x = data.Inputs.to(ScalarType.Float64).data<double>().ToArray();
        var y = data.Targets.data<long>().ToArray();
        Assert.Equal([200, 200, 200], y.GroupBy(c => c).OrderBy(g => g.Key).Select(g => g.Count()));
        for (int i = 0; i < 600; i++)
        {
            double r = Math.Sqrt(x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1]);
            double theta = Math.Atan2(x[2 * i + 1], x[2 * i]);
            // theta = 2*pi*turns*r + 2*pi*c/C (mod 2*pi)
            double offset = theta - 2 * Math.PI * 1.5 * r - 2 * Math.PI * y[i] / 3;
            double wrapped = offset - 2 * Math.PI * Math.Round(offset / (2 * Math.PI));
            Assert.True(Math.Abs(wrapped) < 1e-4 || r < 1e-4, $"point {i} is off its arm by {wrapped}");
        }
        // shuffled: the labels are not in blocks
        Assert.NotEqual(y.OrderBy(c => c), y);
    }

    [Fact]
    public void SameSeedSameDataAndBadArgumentsAreRejected()
    {
        using var a = SpiralDataset.Generate(50, seed: 4);
        using var b = SpiralDataset.Generate(50, seed: 4);
        using var c = SpiralDataset.Generate(50, seed: 5);
        Assert.True(a.Inputs.allclose(b.Inputs, rtol: 0, atol: 0));
        Assert.False(a.Inputs.allclose(c.Inputs, rtol: 0, atol: 0));
        Assert.Equal(2, a.ClassCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => SpiralDataset.Generate(10, classes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpiralDataset.Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpiralDataset.Generate(10, noise: -1));
    }
}
