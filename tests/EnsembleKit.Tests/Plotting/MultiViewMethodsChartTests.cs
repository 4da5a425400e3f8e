using System.Text.Json.Nodes;
using EnsembleKit.Experiments;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

public sealed class MultiViewMethodsChartTests
{
    [Fact]
    public void OneLinePerDataSetThroughTheFiveMethodsWithoutThePerModelRows()
    {
        MultiViewComparisonRow[] rows =
        [
            new("multi-view", "single model (mean of 2)", 96.39, 93.1, 100), new("multi-view", "single model 1", 96.0, 93, 100),
            new("multi-view", "single model 2", 96.78, 93, 100), new("multi-view", "ensemble of 2", 98.6, 97, 100),
            new("multi-view", "sum of 2, trained jointly", 97.7, 95, 100), new("multi-view", "knowledge distillation", 97.8, 96, 100),
            new("multi-view", "self-distillation", 96.3, 93, 100),
            new("Gaussian control", "single model (mean of 2)", 40.12, 40, 100), new("Gaussian control", "single model 1", 40.0, 40, 100),
            new("Gaussian control", "ensemble of 2", 44.1, 44, 100), new("Gaussian control", "sum of 2, trained jointly", 41.0, 41, 100),
            new("Gaussian control", "knowledge distillation", 42.5, 42, 100), new("Gaussian control", "self-distillation", 40.5, 40, 100),
        ];
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.MultiViewMethods(rows)))!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(["multi-view", "Gaussian control"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([0.0, 1, 2, 3, 4], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([96.39, 98.6, 97.7, 97.8, 96.3], data[0]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal([40.12, 44.1, 41.0, 42.5, 40.5], data[1]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("method", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.MultiViewMethods([]));
    }
}
