using System.Text.Json.Nodes;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using EnsembleKit.Plotting;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

public sealed class CalibrationTablesTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    // Two images of class 0: the first right at confidence 0.9, the second wrong (class 1) at 0.8.
    static Tensor Probs() => tensor(new[] { 0.9f, 0.1f, 0.2f, 0.8f }, new long[] { 2, 2 });
    static Tensor Targets() => tensor(new long[] { 0, 0 });

    [Fact]
    public void CalibrationErrorsThreeWaysRoundedToFourDecimals()
    {
        using var probs = Probs();
        using var targets = Targets();
        using var sharp = tensor(new[] { 1f, 0f, 1f, 0f }, new long[] { 2, 2 });
        var frame = Tables.CalibrationErrors([("loose", probs), ("sharp", sharp)], targets);
        Assert.Equal(["Predictor", "Ece", "AdaptiveEce", "ClasswiseEce"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["loose", "sharp"], frame.Columns["Predictor"].Cast<string>());
        // by hand: ½·|1 − 0.9| + ½·|0 − 0.8| = 0.45; always right at confidence 1: 0
        Assert.Equal([0.45, 0.0], frame.Columns["Ece"].Cast<double>());
        Assert.Equal(Math.Round(Metric.AdaptiveCalibrationError(probs, targets), 4), frame.Columns["AdaptiveEce"][0]);
        Assert.Equal(Math.Round(Metric.ClasswiseCalibrationError(probs, targets), 4), frame.Columns["ClasswiseEce"][0]);
        Assert.Throws<ArgumentException>(() => Tables.CalibrationErrors([], targets));
    }

    [Fact]
    public void ReliabilityDiagramOfBinsEachPredictorsProbabilities()
    {
        using var probs = Probs();
        using var targets = Targets();
        var figure = Figure(Charts.ReliabilityDiagramOf([("loose", probs)], targets));
        var expected = Figure(Charts.ReliabilityDiagram([("loose", Metric.ReliabilityBins(probs, targets))]));
        Assert.Equal(expected.ToJsonString(), figure.ToJsonString());
        var data = figure["data"]!.AsArray();
        Assert.Equal(["perfect calibration", "loose"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(2, data[1]!["x"]!.AsArray().Count);   // two non-empty bins, at 0.8 and 0.9
        Assert.Throws<ArgumentException>(() => Charts.ReliabilityDiagramOf([], targets));
    }

    [Fact]
    public void MemberMetricBarsAreTheMembersThenTheEnsemble()
    {
        var report = new EnsembleReport("deep", CombinationRule.MeanLogits,
            [new ScoreRow("member 1", 1, 0.8797, 0.4, 0.03, 0.18, 0.39), new ScoreRow("member 2", 1, 0.8428, 0.5, 0.04, 0.2, 0.45)],
            new ScoreRow("ensemble", 2, 0.8854, 0.35, 0.02, 0.16, 0.34), null);
        var bar = Figure(Charts.MemberMetricBars(report, ReportMetric.Nll))["data"]!.AsArray().Single()!;
        Assert.Equal(["member 1", "member 2", "ensemble"], bar["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(["0.4000", "0.5000", "0.3500"], bar["text"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Throws<ArgumentNullException>(() => Charts.MemberMetricBars(null!, ReportMetric.Nll));
    }
}
