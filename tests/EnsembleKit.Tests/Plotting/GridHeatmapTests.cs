using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

public class GridHeatmapTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    [Fact]
    public void GridHeatmapPutsTheFirstRowOnTopWithColumnLabelsAndValues()
    {
        double[,] accuracy = { { 97.2, 96.0, 80.5 }, { 97.6, 97.2, 95.1 } };   // rows: sparsity 0, 0.9; columns: sigma
        var figure = Figure(Charts.GridHeatmap(accuracy, ["dense", "0.9"], ["0.05", "0.1", "0.2"], "Child accuracy", "sigma", "sparsity", "accuracy, %",
            range: (50, 100), valueFormat: "F1"));
        var heatmap = figure["data"]!.AsArray().Single()!;
        Assert.Equal("heatmap", heatmap["type"]!.GetValue<string>());
        var z = heatmap["z"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToArray();
        Assert.Equal([97.6, 97.2, 95.1], z[0]);   // bottom row = last row of the grid
        Assert.Equal([97.2, 96.0, 80.5], z[1]);
        Assert.Equal(["0.9", "dense"], heatmap["y"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["0.05", "0.1", "0.2"], heatmap["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("80.5", heatmap["text"]![1]![2]!.GetValue<string>());
        Assert.Equal(50.0, heatmap["zmin"]!.GetValue<double>());
        Assert.Equal("sigma", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("sparsity", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        var plain = Figure(Charts.GridHeatmap(accuracy, ["a", "b"], ["x", "y", "z"], "t", "x", "y", "v", valueFormat: null))["data"]![0]!;
        Assert.Null(plain["text"]);
        Assert.Null(plain["zmin"]);
        Assert.Throws<ArgumentException>(() => Charts.GridHeatmap(accuracy, ["a"], ["x", "y", "z"], "t", "x", "y", "v"));
        Assert.Throws<ArgumentException>(() => Charts.GridHeatmap(accuracy, ["a", "b"], ["x", "y"], "t", "x", "y", "v"));
    }
}
