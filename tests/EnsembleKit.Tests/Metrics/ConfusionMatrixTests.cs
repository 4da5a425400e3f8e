using EnsembleKit.Backend;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

public class ConfusionMatrixTests
{
    public ConfusionMatrixTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void CountsTrueClassByRowAndPredictionByColumn()
    {
        // Predictions (argmax per row): 0, 2, 1, 2, 0 ; targets: 0, 2, 2, 1, 1 (worked out by hand).
        using var scores = tensor(new float[,] { { 5, 1, 0 }, { 0, 1, 3 }, { 0, 2, 1 }, { 1, 0, 4 }, { 2, 1, 1 } });
        using var targets = tensor(new long[] { 0, 2, 2, 1, 1 });
        var m = Metric.ConfusionMatrix(scores, targets);
        long[,] expected = { { 1, 0, 0 }, { 1, 0, 1 }, { 0, 1, 1 } };
        Assert.Equal(expected, m);
    }

    [Fact]
    public void DiagonalOverTotalIsAccuracy()
    {
        using var scores = tensor(new float[,] { { 0.9f, 0.1f }, { 0.2f, 0.8f }, { 0.6f, 0.4f }, { 0.3f, 0.7f } });
        using var targets = tensor(new long[] { 0, 1, 1, 1 });
        var m = Metric.ConfusionMatrix(scores, targets);
        Assert.Equal(Metric.Accuracy(scores, targets), (m[0, 0] + m[1, 1]) / 4.0, 12);
        Assert.Equal(4, m.Cast<long>().Sum());
    }

    [Fact]
    public void RejectsTargetsOutsideTheClasses()
    {
        using var scores = zeros(2, 3);
        using var targets = tensor(new long[] { 0, 3 });
        var e = Assert.Throws<ArgumentException>(() => Metric.ConfusionMatrix(scores, targets));
        Assert.Contains("[0, 3)", e.Message);
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        using var scores = zeros(2, 3, 4);
        using var targets = tensor(new long[] { 0, 1 });
        var e = Assert.Throws<ArgumentException>(() => Metric.ConfusionMatrix(scores, targets));
        Assert.Contains("[2, 3, 4]", e.Message);
    }
}
