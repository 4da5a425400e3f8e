using System.Text.Json.Nodes;
using EnsembleKit.Diversity;
using EnsembleKit.Plotting;
using EnsembleKit.WeightSpace;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Diversity charts carry the values, labels, ranges and axis titles a reader needs (checked in the Plotly JSON).</summary>
public class DiversityChartsTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    [Fact]
    public void PairwiseHeatmapPutsTheFirstMemberOnTopAndPrintsValues()
    {
        double[,] cosine = { { 1, 0.25 }, { 0.25, 1 } };
        var figure = Figure(Charts.PairwiseHeatmap(cosine, ["run 1", "run 2"], "Weight cosine similarity", "cosine", range: (-1, 1)));
        var heatmap = figure["data"]!.AsArray().Single()!;
        Assert.Equal("heatmap", heatmap["type"]!.GetValue<string>());
        var z = heatmap["z"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();
        Assert.Equal([0.25, 1.0], z[0]); // bottom row = last member
        Assert.Equal(["run 2", "run 1"], heatmap["y"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["run 1", "run 2"], heatmap["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(-1.0, heatmap["zmin"]!.GetValue<double>());
        Assert.Equal(1.0, heatmap["zmax"]!.GetValue<double>());
        Assert.Equal("%{text}", heatmap["texttemplate"]!.GetValue<string>());
        Assert.Equal("0.25", heatmap["text"]![1]![1]!.GetValue<string>()); // top row (run 1), second column
        Assert.Equal("1.00", heatmap["text"]![1]![0]!.GetValue<string>());
        Assert.Equal("cosine", heatmap["colorbar"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("Weight cosine similarity", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        // no fixed range: no zmin
        var free = Figure(Charts.PairwiseHeatmap(cosine, ["a", "b"], "t", "v"))["data"]![0]!;
        Assert.Null(free["zmin"]);
        // without printed values: no texttemplate, the values stay in the trace for hovering
        var plain = Figure(Charts.PairwiseHeatmap(cosine, ["a", "b"], "t", "v", showValues: false))["data"]![0]!;
        Assert.Null(plain["texttemplate"]);
        Assert.Equal(0.25, plain["z"]![0]![0]!.GetValue<double>());
        Assert.Throws<ArgumentException>(() => Charts.PairwiseHeatmap(cosine, ["one"], "t", "v"));
    }

    [Fact]
    public void EnsembleSizeCurveShowsAccuracyInPercentPerSize()
    {
        IReadOnlyList<EnsembleSizePoint> small = [new(1, 0.80, 0), new(2, 0.83, 0.01), new(3, 0.84, 0.005)];
        IReadOnlyList<EnsembleSizePoint> large = [new(1, 0.85, 0), new(2, 0.87, 0)];
        var figure = Figure(Charts.EnsembleSizeCurve([("small CNN", small), ("large CNN", large)]));
        var data = figure["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("small CNN", data[0]!["name"]!.GetValue<string>());
        Assert.Equal([1, 2, 3], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<int>()));
        Assert.Equal([80.0, 83.0, 84.0], data[0]!["y"]!.AsArray().Select(y => Math.Round(y!.GetValue<double>(), 6)));
        Assert.Equal("Ensemble size (members)", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(1, figure["layout"]!["xaxis"]!["dtick"]!.GetValue<int>());
        Assert.Contains("accuracy, %", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.EnsembleSizeCurve([]));
    }

    [Fact]
    public void AccuracyVsDisagreementHasOneMarkerTracePerGroupAndTheBase()
    {
        IReadOnlyList<(double, double)> random = [(0.01, 0.88), (0.05, 0.86)];
        IReadOnlyList<(double, double)> independent = [(0.12, 0.87)];
        var figure = Figure(Charts.AccuracyVsDisagreement([("random direction", random), ("independent runs", independent)], baseAccuracy: 0.885));
        var data = figure["data"]!.AsArray();
        Assert.Equal(["random direction", "independent runs", "base solution"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.All(data, d => Assert.Equal("markers", d!["mode"]!.GetValue<string>()));
        Assert.Equal([0.01, 0.05], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([88.0, 86.0], data[0]!["y"]!.AsArray().Select(y => Math.Round(y!.GetValue<double>(), 6)));
        Assert.Equal([0.0], data[2]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Contains("predicted differently", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());

        var result = new SubspaceSamplingResult(0.9, [0, 1], null,
            [new SubspaceSample("dropout", 0.9, 0.85, 0.5, [0, 0], null), new SubspaceSample("random direction", 0.1, 0.9, 0.0, [0, 1], null)]);
        var fromResult = Figure(Charts.AccuracyVsDisagreement(result, [("independent runs", independent)]));
        Assert.Equal(["dropout", "random direction", "independent runs", "base solution"], fromResult["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
    }
}
