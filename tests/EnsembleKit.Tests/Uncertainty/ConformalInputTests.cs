using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Uncertainty;

/// <summary>Conformal prediction refuses bad input by naming the argument and value, and leaves no tensors behind.</summary>
public class ConformalInputTests
{
    static Tensor Probs() => tensor(new double[,] { { 0.5, 0.25, 0.25 }, { 0.25, 0.5, 0.25 }, { 0.125, 0.125, 0.75 } });
    static Tensor Targets() => tensor(new long[] { 0, 1, 2 });

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AlphaOutsideTheOpenUnitIntervalIsRefused(double alpha)
    {
        using var probs = Probs();
        using var targets = Targets();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibrator.Fit(probs, targets, alpha, ConformalScore.Lac));
        Assert.Equal("alpha", e.ParamName);
        Assert.Contains($"alpha: {alpha}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibrator.QuantileRank(10, alpha));
    }

    [Fact]
    public void BadCalibrationInputIsRefusedNamingTheArgument()
    {
        using var targets = Targets();
        using var empty = zeros(0, 3, dtype: ScalarType.Float64);
        using var noTargets = zeros(0, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(empty, noTargets, 0.1, ConformalScore.Aps));
        Assert.Equal("calibrationProbs", e.ParamName);
        Assert.Contains("empty", e.Message);

        using var unnormalised = tensor(new double[,] { { 0.5, 0.25, 0.25 }, { 0.5, 0.5, 0.25 }, { 0.125, 0.125, 0.75 } });
        e = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(unnormalised, targets, 0.1, ConformalScore.Lac));
        Assert.Equal("calibrationProbs", e.ParamName);
        Assert.Contains("row 1 sums to 1.25", e.Message);

        using var nan = tensor(new double[,] { { 0.5, 0.25, 0.25 }, { 0.25, double.NaN, 0.25 }, { 0.125, 0.125, 0.75 } });
        e = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(nan, targets, 0.1, ConformalScore.Aps));
        Assert.Contains("row 1 holds NaN at class 1", e.Message);

        using var probs = Probs();
        using var outOfRange = tensor(new long[] { 0, 3, 2 });
        e = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(probs, outOfRange, 0.1, ConformalScore.Lac));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("value 3 at index 1 is outside [0, 3)", e.Message);

        e = Assert.Throws<ArgumentException>(() => ConformalCalibrator.Fit(probs, targets, 0.1, (ConformalScore)7));
        Assert.Equal("score", e.ParamName);

        var rank = Assert.Throws<ArgumentOutOfRangeException>(() => ConformalCalibrator.QuantileRank(0, 0.1));
        Assert.Equal("calibrationCount", rank.ParamName);
    }

    [Fact]
    public void BadTestInputIsRefusedNamingTheArgument()
    {
        using var probs = Probs();
        using var targets = Targets();
        var fitted = ConformalCalibrator.Fit(probs, targets, 0.2, ConformalScore.Aps);

        using var fourClasses = full(2, 4, 0.25, dtype: ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => fitted.Predict(fourClasses));
        Assert.Equal("probs", e.ParamName);
        Assert.Contains("fitted on 3", e.Message);

        using var logits = tensor(new double[,] { { 2.0, -1.0, 0.5 } });
        e = Assert.Throws<ArgumentException>(() => fitted.Predict(logits));
        Assert.Equal("probs", e.ParamName);
        Assert.Contains("outside [0, 1]", e.Message);

        using var flat = tensor(new double[] { 0.5, 0.5 });
        e = Assert.Throws<ArgumentException>(() => fitted.Predict(flat));
        Assert.Contains("must be [B, C]", e.Message);

        using var empty = zeros(0, 3, dtype: ScalarType.Float64);
        e = Assert.Throws<ArgumentException>(() => fitted.Predict(empty));
        Assert.Equal("probs", e.ParamName);

        using var shortTargets = tensor(new long[] { 0, 1 });
        e = Assert.Throws<ArgumentException>(() => fitted.Predict(probs, shortTargets));
        Assert.Equal("targets", e.ParamName);
    }

    [Fact]
    public void FitAndPredictLeaveNoLiveTensorsWhetherTheyPassOrFail()
    {
        using var probs = Probs();
        using var targets = Targets();
        using var bad = tensor(new double[,] { { 0.9, 0.9, 0.9 } });
        using var oneTarget = tensor(new long[] { 0 });
        void Run()
        {
            foreach (var score in Enum.GetValues<ConformalScore>())
            {
                var fitted = ConformalCalibrator.Fit(probs, targets, 0.3, score, seed: 2);
                fitted.Predict(probs);
                fitted.Predict(probs, targets);
                Assert.ThrowsAny<ArgumentException>(() => fitted.Predict(bad));
                Assert.ThrowsAny<ArgumentException>(() => ConformalCalibrator.Fit(bad, oneTarget, 0.3, score));
            }
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }
}
