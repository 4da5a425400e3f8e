using System.Text.Json.Nodes;
using EnsembleKit.Metrics;
using EnsembleKit.Plotting;
using EnsembleKit.Training;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>The chart builders produce the traces, titles and axis labels a reader needs (checked in the Plotly JSON).</summary>
public class ChartsTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    static TrainingHistory History(string label, params double[] losses)
    {
        var h = new TrainingHistory(label);
        for (int e = 0; e < losses.Length; e++) h.Add(new EpochRecord(e, losses[e], 0.1, 1));
        return h;
    }

    [Fact]
    public void TrainingCurvesHaveOneNamedLinePerMemberWithEpochsFromOne()
    {
        var figure = Figure(Charts.TrainingCurves([History("member 1/2", 1.0, 0.5), History("member 2/2", 0.9, 0.4)]));
        var data = figure["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("member 2/2", data[1]!["name"]!.GetValue<string>());
        Assert.Equal([1, 2], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<int>()));
        Assert.Equal([0.9, 0.4], data[1]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("Epoch", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Contains("cross-entropy", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("Training loss of each member", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void MetricBarsShowEachPredictorInPercentForAccuracy()
    {
        ClassificationReport[] reports = [new("member 1", 0.8797, 0.4, 0.03, 0.18), new("member 2", 0.8428, 0.5, 0.04, 0.2), new("ensemble", 0.8854, 0.35, 0.02, 0.16)];
        var figure = Figure(Charts.MetricBars(reports, ReportMetric.Accuracy));
        var bar = figure["data"]!.AsArray().Single()!;
        Assert.Equal(["member 1", "member 2", "ensemble"], bar["x"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal([87.97, 84.28, 88.54], bar["y"]!.AsArray().Select(y => Math.Round(y!.GetValue<double>(), 2)));
        Assert.Equal(["87.97", "84.28", "88.54"], bar["text"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("higher is better", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        // The zoomed axis still shows every bar's top.
        var range = figure["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.True(range[0] < 84.28 && range[1] > 88.54);
        Assert.Contains("log-likelihood", Figure(Charts.MetricBars(reports, ReportMetric.Nll))["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ReliabilityDiagramHasTheDiagonalAndSkipsEmptyBins()
    {
        CalibrationBin[] bins = [new(0, 0.5, 0, 0, 0), new(0.5, 1, 4, 0.75, 0.9)];
        var figure = Figure(Charts.ReliabilityDiagram([("ensemble", bins)]));
        var data = figure["data"]!.AsArray();
        Assert.Equal("perfect calibration", data[0]!["name"]!.GetValue<string>());
        Assert.Equal([0.9], data[1]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([0.75], data[1]!["y"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal("Accuracy in bin", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ConfusionMatrixPutsTheFirstClassOnTop()
    {
        long[,] matrix = { { 5, 1 }, { 2, 7 } };
        var figure = Figure(Charts.ConfusionMatrix(matrix, ["cat", "dog"]));
        var heatmap = figure["data"]!.AsArray().Single()!;
        Assert.Equal("heatmap", heatmap["type"]!.GetValue<string>());
        var z = heatmap["z"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<long>()).ToArray()).ToArray();
        Assert.Equal([2L, 7L], z[0]); // bottom row = last class
        Assert.Equal([5L, 1L], z[1]);
        Assert.Equal(["dog", "cat"], heatmap["y"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Predicted class", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.ConfusionMatrix(matrix, ["only one"]));
    }

    [Fact]
    public void EmptyInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Charts.TrainingCurves([]));
        Assert.Throws<ArgumentException>(() => Charts.MetricBars([], ReportMetric.Ece));
    }
}
