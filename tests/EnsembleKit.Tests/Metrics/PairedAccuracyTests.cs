using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

public class PairedAccuracyTests
{
    [Fact]
    public void DifferenceAndPairedStandardErrorByHand()
    {
        // 5 rows, targets 0 1 0 1 0. A right on rows 0,1,2; B right on rows 0,3.
        using var targets = tensor(new long[] { 0, 1, 0, 1, 0 });
        using var a = TestSupport.Tensor2D([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3], [0.4, 0.6]]);
        using var b = TestSupport.Tensor2D([[0.8, 0.2], [0.9, 0.1], [0.3, 0.7], [0.1, 0.9], [0.2, 0.8]]);
        var d = Metric.PairedAccuracyDifference(a, b, targets);
        // d_n = [0, 1, 1, -1, 0]: mean 1/5; population variance = mean(d^2) - mean^2 = 3/5 - 1/25 = 14/25; SE = sqrt(14/25 / 5)
        Assert.Equal(0.2, d.Difference, 12);
        Assert.Equal(Math.Sqrt(14.0 / 25 / 5), d.StandardError, 12);
        Assert.Equal((2L, 1L, 5L), (d.OnlyA, d.OnlyB, d.Count));
        Assert.Equal(Metric.Accuracy(a, targets) - Metric.Accuracy(b, targets), d.Difference, 12);
        var reverse = Metric.PairedAccuracyDifference(b, a, targets);
        Assert.Equal(-0.2, reverse.Difference, 12);
        Assert.Equal(d.StandardError, reverse.StandardError, 12);
        Assert.True(d.NotWorseThan());
        Assert.False(reverse.NotWorseThan(0.5));           // -0.2 < -0.5 * 0.335
        Assert.True(reverse.NotWorseThan(1));              // -0.2 >= -0.335
    }

    [Fact]
    public void IdenticalPredictorsHaveZeroDifferenceAndErrorAndBadShapesThrow()
    {
        using var targets = tensor(new long[] { 0, 1, 1 });
        using var a = TestSupport.Tensor2D([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]);
        var d = Metric.PairedAccuracyDifference(a, a, targets);
        Assert.Equal((0.0, 0.0), (d.Difference, d.StandardError));
        Assert.True(d.NotWorseThan(0));
        using var wrong = TestSupport.Tensor2D([[0.9, 0.1], [0.2, 0.8]]);
        Assert.Throws<ArgumentException>(() => Metric.PairedAccuracyDifference(a, wrong, targets));
    }
}
