using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

public class CalibrationTests
{
    [Fact]
    public void TemperatureScalingRecoversAKnownTemperature()
    {
        // Labels drawn from softmax(z); the model reports 2.5 z, i.e. it is over-confident by T = 2.5.
        var generator = new Generator(3);
        using var z = randn(new long[] { 20_000, 5 }, generator: generator, dtype: ScalarType.Float64);
        using var targets = multinomial(z.softmax(1), 1, generator: generator).squeeze(1);
        using var reported = z * 2.5;
        double t = TemperatureScaling.Fit(reported, targets);
        Assert.InRange(t, 2.4, 2.6);
        using var scaled = TemperatureScaling.Apply(reported, t);
        using var raw = reported.softmax(1);
        Assert.True(Metric.NegativeLogLikelihood(scaled, targets) < Metric.NegativeLogLikelihood(raw, targets));
    }

    [Fact]
    public void DeepEnsembleEquivalentInterpolatesTheCurve()
    {
        double[] curve = [0.30, 0.25, 0.22, 0.21];
        Assert.Equal(1, DeepEnsembleEquivalent.FromCurve(curve, 0.31));
        Assert.Equal(1.5, DeepEnsembleEquivalent.FromCurve(curve, 0.275), 12);
        Assert.Equal(3, DeepEnsembleEquivalent.FromCurve(curve, 0.22), 12);
        Assert.Equal(2 + 1.0 / 3, DeepEnsembleEquivalent.FromCurve(curve, 0.24), 12);
        Assert.Equal(4, DeepEnsembleEquivalent.FromCurve(curve, 0.2));
        Assert.Throws<ArgumentException>(() => DeepEnsembleEquivalent.FromCurve([], 0.2));
    }

    [Fact]
    public void TemperatureScalingRefusesInputItCannotFitOn()
    {
        using var targets = tensor(new long[] { 0, 1, 1 });
        using var logits = tensor(new double[,] { { 2, 0 }, { 0, 1 }, { double.NaN, 1 } });
        var e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(logits, targets));
        Assert.Equal("logits", e.ParamName);
        Assert.StartsWith("logits: row 2 holds NaN at class 0; logits must be finite.", e.Message);

        logits[2, 0] = tensor(double.NegativeInfinity);
        e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(logits, targets));
        Assert.StartsWith("logits: row 2 holds -Infinity at class 0", e.Message);

        using var none = zeros(0, 3, dtype: ScalarType.Float64);
        e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(none, zeros(0, dtype: ScalarType.Int64)));
        Assert.Contains("the batch is empty", e.Message);

        using var oneClass = tensor(new double[,] { { 1 }, { 3 }, { -2 } });
        e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(oneClass, zeros(3, dtype: ScalarType.Int64)));
        Assert.Contains("1 classes", e.Message);
        Assert.Contains("at least 2 needed", e.Message);

        using var outOfRange = tensor(new long[] { 0, 2, 1 });
        using var fine = tensor(new double[,] { { 2, 0 }, { 0, 1 }, { 1, 1 } });
        e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(fine, outOfRange));
        Assert.StartsWith("targets: value 2 at index 1 is outside [0, 2)", e.Message);
    }

    [Fact]
    public void CalibratedNllNamesTheLogitsThatAreBroken()
    {
        using var good = tensor(new double[,] { { 2, 0 }, { 0, 1 }, { 1, 0.5 } });
        using var broken = tensor(new double[,] { { 2, 0 }, { 0, double.PositiveInfinity }, { 1, 0.5 } });
        using var targets = tensor(new long[] { 0, 1, 1 });
        var e = Assert.Throws<ArgumentException>(() => TemperatureScaling.CalibratedNll(good, targets, broken, targets));
        Assert.Equal("testLogits", e.ParamName);
        Assert.StartsWith("testLogits: row 1 holds Infinity at class 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => TemperatureScaling.CalibratedNll(broken, targets, good, targets));
        Assert.Equal("validationLogits", e.ParamName);
        Assert.True(TemperatureScaling.CalibratedNll(good, targets, good, targets).Nll > 0);
    }

    [Fact]
    public void TemperatureScalingSaysWhenTheLogitsCarryNoInformation()
    {
        // Every row equal across classes: the NLL is log C at every temperature. The search used to drift to the
        // lower bound and return 0.05 as if it had found something.
        using var flat = full(5, 4, 1.5, dtype: ScalarType.Float64);
        using var targets = tensor(new long[] { 0, 1, 2, 3, 0 });
        var e = Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(flat, targets));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("every row is the same value for all 4 classes", e.Message);
        Assert.Contains("no temperature can be fitted", e.Message);
        // Two informative rows are enough to fit on: [3, 0, 0, 0] once with target 0 and once with target 3. With a = 3/T
        // their NLL is 2 log(e^a + 3) - a (the flat rows add a constant), least where e^a = 3: T = 3 / ln 3 = 2.7307.
        flat[3] = tensor(new double[] { 3, 0, 0, 0 });
        flat[4] = tensor(new double[] { 3, 0, 0, 0 });
        Assert.Equal(3 / Math.Log(3), TemperatureScaling.Fit(flat, targets), 3);
    }

    [Fact]
    public void TemperatureBoundsMustBeOrderedAndPositive()
    {
        using var logits = tensor(new double[,] { { 2, 0 }, { 0, 1 } });
        using var targets = tensor(new long[] { 0, 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(logits, targets, minTemperature: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(logits, targets, minTemperature: 2, maxTemperature: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(logits, targets, maxTemperature: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(logits, targets, minTemperature: double.NaN));
    }

    [Fact]
    public void TemperatureMustBePositive()
    {
        using var logits = zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Apply(logits, 0));
    }
}

public class CalibrationErrorVariantTests
{
    static Tensor Probs(double[,] rows) => tensor(rows);

    [Fact]
    public void AdaptiveEceSplitsSamplesIntoEqualMassBins()
    {
        // Confidences 0.6 (right), 0.7 (wrong), 0.8 (right), 0.9 (right). Two equal-mass bins: {0.6, 0.7} has
        // accuracy 0.5 and confidence 0.65, {0.8, 0.9} accuracy 1 and confidence 0.85: 0.5*0.15 + 0.5*0.15 = 0.15.
        // Equal-width bins put all four in (0.5, 1], where accuracy 0.75 equals confidence 0.75: ECE 0.
        using var probs = Probs(new[,] { { 0.6, 0.4 }, { 0.3, 0.7 }, { 0.8, 0.2 }, { 0.1, 0.9 } });
        using var targets = tensor(new long[] { 0, 0, 0, 1 });
        Assert.Equal(0.15, Metric.AdaptiveCalibrationError(probs, targets, bins: 2), 12);
        Assert.Equal(0.0, Metric.AdaptiveCalibrationError(probs, targets, bins: 1), 12);
        Assert.Equal(0.0, Metric.ExpectedCalibrationError(probs, targets, bins: 2), 12);
        // One bin per sample: the mean of |correct - confidence| = (0.4 + 0.7 + 0.2 + 0.1) / 4.
        Assert.Equal(0.35, Metric.AdaptiveCalibrationError(probs, targets, bins: 4), 12);
        Assert.Equal(0.35, Metric.AdaptiveCalibrationError(probs, targets, bins: 9), 12); // empty bins add nothing
    }

    [Fact]
    public void AdaptiveEceBinsOfUnequalSizeFollowTheRankFormula()
    {
        // Five samples, two bins: ranks [0, 2) and [2, 5). Sorted confidences 0.55 (w), 0.6 (r) | 0.7 (r), 0.8 (w), 0.95 (r):
        // |1 - 1.15| / 5 + |2 - 2.45| / 5 = 0.03 + 0.09 = 0.12. The input order is shuffled on purpose.
        using var probs = Probs(new[,] { { 0.2, 0.8 }, { 0.95, 0.05 }, { 0.45, 0.55 }, { 0.7, 0.3 }, { 0.4, 0.6 } });
        using var targets = tensor(new long[] { 0, 0, 0, 0, 1 });
        Assert.Equal(0.12, Metric.AdaptiveCalibrationError(probs, targets, bins: 2), 12);
    }

    [Fact]
    public void ClasswiseEceAveragesTheBinnedErrorOfEveryClass()
    {
        // Worked by hand with two equal-width bins per class: class 0 gives 0.2 + 0.1, class 1 gives 0.0875 + 0.175,
        // class 2 gives 0.1375 + 0.05; the mean over the three classes is 0.25.
        using var probs = Probs(new[,] { { 0.6, 0.3, 0.1 }, { 0.2, 0.7, 0.1 }, { 0.1, 0.1, 0.8 }, { 0.5, 0.25, 0.25 } });
        using var targets = tensor(new long[] { 0, 2, 2, 1 });
        Assert.Equal(0.25, Metric.ClasswiseCalibrationError(probs, targets, bins: 2), 12);
    }

    [Fact]
    public void PerfectlyCalibratedOneHotPredictionsScoreZero()
    {
        using var targets = tensor(new long[] { 2, 0, 1, 1 });
        using var probs = nn.functional.one_hot(targets, 3).to(ScalarType.Float64);
        Assert.Equal(0.0, Metric.AdaptiveCalibrationError(probs, targets), 12);
        Assert.Equal(0.0, Metric.ClasswiseCalibrationError(probs, targets), 12);
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        using var probs = full(3, 2, 0.5);
        using var targets = tensor(new long[] { 0, 1, 0 });
        using var shortTargets = tensor(new long[] { 0, 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Metric.AdaptiveCalibrationError(probs, targets, bins: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metric.ClasswiseCalibrationError(probs, targets, bins: -1));
        Assert.Throws<ArgumentException>(() => Metric.AdaptiveCalibrationError(probs, shortTargets));
        Assert.Throws<ArgumentException>(() => Metric.ClasswiseCalibrationError(probs.flatten(), targets));
        using var none = zeros(0, 2, dtype: ScalarType.Float64);
        using var noTargets = zeros(0, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => Metric.AdaptiveCalibrationError(none, noTargets));
        Assert.Throws<ArgumentException>(() => Metric.ClasswiseCalibrationError(none, noTargets));
        Assert.Throws<ArgumentException>(() => Metric.ExpectedCalibrationError(none, noTargets));
    }

    [Fact]
    public void VariantsLeaveNoLiveTensors()
    {
        using var probs = Probs(new[,] { { 0.6, 0.4 }, { 0.3, 0.7 } });
        using var targets = tensor(new long[] { 0, 0 });
        Metric.AdaptiveCalibrationError(probs, targets);
        Metric.ClasswiseCalibrationError(probs, targets);
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 5; i++) { Metric.AdaptiveCalibrationError(probs, targets); Metric.ClasswiseCalibrationError(probs, targets); }
        Assert.Equal(before, Tensor.TotalCount);
    }
}
