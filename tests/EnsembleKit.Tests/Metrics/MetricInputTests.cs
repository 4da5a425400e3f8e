using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

/// <summary>
/// Every metric refuses bad input with an <see cref="ArgumentException"/> that names the argument and the offending
/// value (Metrics/MetricInput.cs): targets outside [0, C), non-finite scores, logits passed as probabilities, an empty
/// batch. Before, out-of-range targets counted as misses or crashed inside libtorch, NaN crashed the binned ECEs with
/// "index out of range in self", and an empty batch gave NaN.
/// </summary>
public class MetricInputTests
{
    /// <summary>Every metric that takes probabilities, as (name, call).</summary>
    public static IEnumerable<object[]> ProbabilityMetrics() =>
        new (string, Action<Tensor, Tensor>)[]
        {
            ("NLL", (p, t) => Metric.NegativeLogLikelihood(p, t)),
            ("Brier", (p, t) => Metric.BrierScore(p, t)),
            ("ECE", (p, t) => Metric.ExpectedCalibrationError(p, t)),
            ("reliability bins", (p, t) => Metric.ReliabilityBins(p, t)),
            ("adaptive ECE", (p, t) => Metric.AdaptiveCalibrationError(p, t)),
            ("classwise ECE", (p, t) => Metric.ClasswiseCalibrationError(p, t)),
            ("report", (p, t) => ClassificationReport.FromProbabilities("m", p, t)),
        }.Select(m => new object[] { m.Item1, m.Item2 });

    /// <summary>Every metric, including those that read only the argmax of logits or probabilities.</summary>
    public static IEnumerable<object[]> AllMetrics() => ProbabilityMetrics().Concat(
        new (string, Action<Tensor, Tensor>)[]
        {
            ("accuracy", (p, t) => Metric.Accuracy(p, t)),
            ("confusion matrix", (p, t) => Metric.ConfusionMatrix(p, t)),
            ("paired accuracy", (p, t) => Metric.PairedAccuracyDifference(p, p, t)),
            ("report from logits", (p, t) => ClassificationReport.FromLogits("m", p, t)),
            ("temperature scaling", (p, t) => TemperatureScaling.Fit(p, t)),
        }.Select(m => new object[] { m.Item1, m.Item2 }));

    /// <summary>Eight rows of ten classes, each a valid distribution (and finite logits) with a distinct top class.</summary>
    static Tensor TenClassProbs() => arange(80, dtype: ScalarType.Float64).reshape(8, 10).remainder(7).add(1).softmax(1);

    static ArgumentException Refused(Action<Tensor, Tensor> metric, Tensor probs, Tensor targets, string parameter)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => metric(probs, targets));
        Assert.Equal(parameter, e.ParamName);
        return e;
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void TargetsOutsideTheClassesNameTheValueAndIndex(string metric, Action<Tensor, Tensor> call)
    {
        using var probs = TenClassProbs();
        using var tooHigh = tensor(new long[] { 0, 1, 2, 10, 4, 5, 6, 7 });
        var e = Refused(call, probs, tooHigh, "targets");
        Assert.True(e.Message.StartsWith("targets: value 10 at index 3 is outside [0, 10)", StringComparison.Ordinal), $"{metric}: {e.Message}");
        using var negative = tensor(new long[] { 0, 1, 2, 3, 4, -1, 6, 70 });
        e = Refused(call, probs, negative, "targets");
        Assert.True(e.Message.StartsWith("targets: value -1 at index 5 is outside [0, 10)", StringComparison.Ordinal), $"{metric}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void AnEmptyBatchIsRefused(string metric, Action<Tensor, Tensor> call)
    {
        using var none = zeros(0, 10, dtype: ScalarType.Float64);
        using var noTargets = zeros(0, dtype: ScalarType.Int64);
        var e = Assert.ThrowsAny<ArgumentException>(() => call(none, noTargets));
        Assert.True(e.Message.Contains("the batch is empty", StringComparison.Ordinal), $"{metric}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void NaNIsRefused(string metric, Action<Tensor, Tensor> call)
    {
        using var probs = TenClassProbs();
        probs[2, 4] = tensor(double.NaN);
        using var targets = arange(8, dtype: ScalarType.Int64);
        var e = Assert.ThrowsAny<ArgumentException>(() => call(probs, targets));
        Assert.True(e.Message.Contains("row 2 holds NaN at class 4", StringComparison.Ordinal), $"{metric}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(ProbabilityMetrics))]
    public void InfiniteProbabilitiesAreRefused(string metric, Action<Tensor, Tensor> call)
    {
        using var probs = TenClassProbs();
        probs[6, 0] = tensor(double.PositiveInfinity);
        probs[7, 1] = tensor(double.NegativeInfinity);
        using var targets = arange(8, dtype: ScalarType.Int64);
        var e = Refused(call, probs, targets, "probs");
        Assert.True(e.Message.StartsWith("probs: row 6 holds Infinity at class 0; probabilities must be finite", StringComparison.Ordinal), $"{metric}: {e.Message}");
    }

    [Theory]
    [MemberData(nameof(ProbabilityMetrics))]
    public void LogitsPassedAsProbabilitiesAreRefused(string metric, Action<Tensor, Tensor> call)
    {
        using var targets = tensor(new long[] { 0, 1, 2 });
        // Logits outside [0, 1]: named by the first value out of range.
        using var logits = tensor(new double[,] { { 0.2, 0.3, 0.5 }, { 2.0, -1.3, 0.1 }, { 0.1, 0.1, 0.8 } });
        var e = Refused(call, logits, targets, "probs");
        Assert.True(e.Message.StartsWith("probs: value 2 at row 1, class 0 is outside [0, 1] (logits passed as probabilities?)", StringComparison.Ordinal), $"{metric}: {e.Message}");
        // Values in [0, 1] that do not sum to 1 (logits that happen to lie there, or sigmoids).
        using var unnormalised = tensor(new double[,] { { 0.2, 0.3, 0.5 }, { 0.9, 0.8, 0.7 }, { 0.1, 0.1, 0.8 } });
        e = Refused(call, unnormalised, targets, "probs");
        Assert.True(e.Message.StartsWith("probs: row 1 sums to 2.4, expected 1 (logits passed as probabilities?)", StringComparison.Ordinal), $"{metric}: {e.Message}");
    }

    [Fact]
    public void TheRowSumMessageReadsAsInTheIssue()
    {
        using var probs = full(6, 4, 0.25, dtype: ScalarType.Float64);
        probs[5] = tensor(new double[] { 0.8, 0.8, 0.8, 0.8 });
        using var targets = zeros(6, dtype: ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => Metric.NegativeLogLikelihood(probs, targets));
        Assert.StartsWith("probs: row 5 sums to 3.2, expected 1 (logits passed as probabilities?).", e.Message);
    }

    [Fact]
    public void SoftmaxOutputInEveryPrecisionPasses()
    {
        // A float32 softmax over many classes, and half-precision ones, sum to 1 only up to rounding.
        var generator = new Generator(5);
        using var logits = randn(new long[] { 64, 1000 }, generator: generator) * 4;
        using var targets = randint(1000, new long[] { 64 }, generator: generator);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16 })
        {
            using var probs = logits.to(dtype).softmax(1);
            Metric.NegativeLogLikelihood(probs, targets);
            Metric.ExpectedCalibrationError(probs, targets);
            Metric.ClasswiseCalibrationError(probs, targets);
        }
        // Probabilities rounded to two decimals by hand, summing to 1 in decimal: fine.
        using var hand = tensor(new float[,] { { 0.33f, 0.33f, 0.34f }, { 0.1f, 0.7f, 0.2f } });
        Assert.Equal(0.5, Metric.Accuracy(hand, tensor(new long[] { 2, 0 })), 12);
        Metric.BrierScore(hand, tensor(new long[] { 2, 0 }));
    }

    [Fact]
    public void ANaNRowNoLongerCountsAsCorrect()
    {
        // argmax ranks NaN first, so this row used to count as a hit for class 1.
        using var scores = tensor(new double[,] { { 0.9, 0.1 }, { 0.2, double.NaN } });
        using var targets = tensor(new long[] { 0, 1 });
        var e = Assert.Throws<ArgumentException>(() => Metric.Accuracy(scores, targets));
        Assert.Equal("scores", e.ParamName);
        Assert.StartsWith("scores: row 1 holds NaN at class 1; scores must not be NaN or +inf.", e.Message);
    }

    [Fact]
    public void ScoresMayHoldMinusInfinityButNotPlusInfinityOrAnAllMinusInfinityRow()
    {
        // The log of probabilities with zeros: -inf marks an impossible class and argmax is still meaningful.
        using var probs = tensor(new double[,] { { 1, 0, 0 }, { 0, 0.5, 0.5 }, { 0, 0, 1 } });
        using var targets = tensor(new long[] { 0, 1, 2 });
        using var logProbs = probs.log();
        Assert.Equal(1.0, Metric.Accuracy(logProbs, targets), 12);
        Assert.Equal(3, Metric.ConfusionMatrix(logProbs, targets).Cast<long>().Sum());
        Assert.Equal(ClassificationReport.FromProbabilities("m", probs, targets).Accuracy, ClassificationReport.FromLogits("m", logProbs, targets).Accuracy);

        using var plusInf = tensor(new double[,] { { 1, 0, 0 }, { 0, double.PositiveInfinity, 0 }, { 0, 0, 1 } });
        var e = Assert.Throws<ArgumentException>(() => Metric.Accuracy(plusInf, targets));
        Assert.StartsWith("scores: row 1 holds Infinity at class 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ClassificationReport.FromLogits("m", plusInf, targets));
        Assert.StartsWith("logits: row 1 holds Infinity at class 1", e.Message);

        using var dead = logProbs.clone();
        dead[2] = full(3, double.NegativeInfinity, dtype: ScalarType.Float64);
        e = Assert.Throws<ArgumentException>(() => Metric.ConfusionMatrix(dead, targets));
        Assert.StartsWith("scores: row 2 is -inf for every class", e.Message);
    }

    [Fact]
    public void FloatScoresNameTheirValue()
    {
        using var scores = tensor(new float[,] { { 0.9f, 0.1f }, { float.NaN, 0.2f } });
        using var good = tensor(new float[,] { { 1, 0 }, { 0, 1 } });
        using var targets = tensor(new long[] { 0, 1 });
        var e = Assert.Throws<ArgumentException>(() => Metric.PairedAccuracyDifference(good, scores, targets));
        Assert.Equal("scoresB", e.ParamName);
        Assert.StartsWith("scoresB: row 1 holds NaN at class 0", e.Message);
    }

    [Fact]
    public void PairedScoresMustHaveTheSameClasses()
    {
        using var a = zeros(2, 3);
        using var b = zeros(2, 4);
        using var targets = tensor(new long[] { 0, 1 });
        var e = Assert.Throws<ArgumentException>(() => Metric.PairedAccuracyDifference(a, b, targets));
        Assert.Equal("scoresB", e.ParamName);
        Assert.Contains("4 classes, but scoresA has 3", e.Message);
    }

    [Fact]
    public void NoClassesIsRefused()
    {
        using var probs = zeros(2, 0, dtype: ScalarType.Float64);
        using var targets = tensor(new long[] { 0, 0 });
        var e = Assert.Throws<ArgumentException>(() => Metric.Accuracy(probs, targets));
        Assert.Contains("0 classes", e.Message);
    }

    [Fact]
    public void ChecksLeaveNoLiveTensorsWhetherTheyPassOrFail()
    {
        using var probs = TenClassProbs();
        using var targets = arange(8, dtype: ScalarType.Int64);
        using var badTargets = tensor(new long[] { 0, 1, 2, 10, 4, 5, 6, 7 });
        using var logits = probs.log() * 3;
        void Run()
        {
            Metric.NegativeLogLikelihood(probs, targets);
            Metric.Accuracy(logits, targets);
            TemperatureScaling.Fit(logits, targets);
            Assert.ThrowsAny<ArgumentException>(() => Metric.BrierScore(logits, targets));
            Assert.ThrowsAny<ArgumentException>(() => Metric.Accuracy(probs, badTargets));
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }
}
