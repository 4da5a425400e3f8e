using System.Text.Json;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

public class MetricTests
{
    /// <summary>Three samples, two classes, worked by hand.</summary>
    [Fact]
    public void HandComputedValues()
    {
        using var probs = TestSupport.Tensor2D([[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]);
        using var targets = tensor(new long[] { 0, 0, 1 });
        // correct: sample 0 only
        Assert.Equal(1.0 / 3, Metric.Accuracy(probs, targets), 12);
        // NLL = -(ln 0.9 + ln 0.4 + ln 0.3) / 3
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.4) + Math.Log(0.3)) / 3, Metric.NegativeLogLikelihood(probs, targets), 12);
        // Brier = ((0.1^2 + 0.1^2) + (0.6^2 + 0.6^2) + (0.7^2 + 0.7^2)) / 3
        Assert.Equal((0.02 + 0.72 + 0.98) / 3, Metric.BrierScore(probs, targets), 12);
        // ECE with 2 bins: (0, .5] empty; (.5, 1] holds confidences .9, .6, .7 with accuracy 1/3
        Assert.Equal(Math.Abs(1.0 / 3 - (0.9 + 0.6 + 0.7) / 3), Metric.ExpectedCalibrationError(probs, targets, bins: 2), 12);
        // 10 bins: .9 -> (.8,.9] acc 1; .6 -> (.5,.6] acc 0; .7 -> (.6,.7] acc 0
        Assert.Equal((Math.Abs(1 - 0.9) + 0.6 + 0.7) / 3, Metric.ExpectedCalibrationError(probs, targets, bins: 10), 12);
    }

    public static IEnumerable<object[]> ReferenceCases()
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "metrics_reference.json")));
        foreach (var c in json.RootElement.GetProperty("cases").EnumerateArray())
            yield return [c.GetProperty("name").GetString()!];
    }

    /// <summary>Matches tests/reference/metrics_reference.py, an independent pure-Python computation.</summary>
    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void MatchesPythonReference(string name)
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "metrics_reference.json")));
        var c = json.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var rows = c.GetProperty("probs").EnumerateArray().Select(r => (IReadOnlyList<double>)r.EnumerateArray().Select(v => v.GetDouble()).ToList()).ToList();
        using var probs = TestSupport.Tensor2D(rows);
        using var targets = tensor(c.GetProperty("targets").EnumerateArray().Select(v => v.GetInt64()).ToArray());
        Assert.Equal(c.GetProperty("accuracy").GetDouble(), Metric.Accuracy(probs, targets), 12);
        Assert.Equal(c.GetProperty("nll").GetDouble(), Metric.NegativeLogLikelihood(probs, targets), 10);
        Assert.Equal(c.GetProperty("brier").GetDouble(), Metric.BrierScore(probs, targets), 10);
        Assert.Equal(c.GetProperty("ece15").GetDouble(), Metric.ExpectedCalibrationError(probs, targets), 10);
        Assert.Equal(c.GetProperty("ece5").GetDouble(), Metric.ExpectedCalibrationError(probs, targets, bins: 5), 10);
    }

    [Fact]
    public void BadShapesNameTheShape()
    {
        using var probs = zeros(4, 3);
        using var targets3 = tensor(new long[] { 0, 1, 2 });
        var e = Assert.Throws<ArgumentException>(() => Metric.Accuracy(probs, targets3));
        Assert.Contains("[3]", e.Message);
        using var flat = zeros(12);
        using var targets4 = tensor(new long[] { 0, 1, 2, 0 });
        e = Assert.Throws<ArgumentException>(() => Metric.NegativeLogLikelihood(flat, targets4));
        Assert.Contains("[12]", e.Message);
        using var intTargets = tensor(new int[] { 0, 1, 2, 0 });
        Assert.Throws<ArgumentException>(() => Metric.BrierScore(probs, intTargets));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metric.ExpectedCalibrationError(probs, targets4, bins: 0));
    }

    [Fact]
    public void ReportFromLogitsEqualsReportFromSoftmax()
    {
        using var logits = TestSupport.Tensor2D([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]]);
        using var targets = tensor(new long[] { 0, 1 });
        using var probs = logits.softmax(1);
        Assert.Equal(ClassificationReport.FromProbabilities("m", probs, targets), ClassificationReport.FromLogits("m", logits, targets));
    }
}
