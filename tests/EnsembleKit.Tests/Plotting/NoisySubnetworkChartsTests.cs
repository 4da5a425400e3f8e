using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using EnsembleKit.Subnetworks;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 09's trust-region heatmap and average-versus-vote chart: labels and values from hand-made results.</summary>
public sealed class NoisySubnetworkChartsTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    [Fact]
    public void TrustRegionGridLabelsSparsitiesAndStrengthsAndHoldsTheValues()
    {
        var grid = new TrustRegionResult(
            [new(0.05, 0.0, 0.01, 0.001, 0.95, true), new(0.125, 0.0, 0.05, 0.004, 0.90, false),
             new(0.05, 0.75, 0.001, 0.0001, 0.97, true), new(0.125, 0.75, 0.01, 0.001, 0.96, true)], 0.02, 0.97);
        var heatmap = Figure(Charts.TrustRegionGrid(grid, p => p.MeanAccuracy * 100, "child accuracy", "accuracy, %", "F1"))["data"]![0]!;
        Assert.Equal(["0.05", "0.125"], heatmap["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["0.75", "0 (dense)"], heatmap["y"]!.AsArray().Select(v => v!.GetValue<string>()));   // first row on top
        Assert.Equal([97.0, 96.0], heatmap["z"]![0]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 9)));
        Assert.Equal("90.0", heatmap["text"]![1]![1]!.GetValue<string>());
    }

    [Fact]
    public void AverageVersusVoteDrawsThreeLinesInPercent()
    {
        var traces = Figure(Charts.AverageVersusVote([new(0.01, 0.02, 0.88, 0.89, 0.885), new(0.1, 0.3, 0.7, 0.8, 0.75)], "vote"))["data"]!.AsArray();
        Assert.Equal(["average of probabilities", "majority vote", "mean member"], traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([0.01, 0.1], traces[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([88.5, 75.0], traces[1]!["y"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 9)));
    }

    [Fact]
    public void AccuracyDropAndKlLinesHaveOneSeriesPerSparsityInTheGridsOrder()
    {
        var grid = new TrustRegionResult(
            [new(0.125, 0.0, 0.05, 0.004, 0.90, false), new(0.05, 0.0, 0.01, 0.001, 0.95, true),
             new(0.05, 0.75, 0.001, 0.0001, 0.97, true), new(0.125, 0.75, 0.01, 0.001, 0.96, true)], 0.02, 0.97);
        var drop = Figure(Charts.AccuracyDropAgainstKl(grid, "drop"));
        var traces = drop["data"]!.AsArray();
        Assert.Equal(["dense", "sparsity 0.75"], traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([0.01, 0.05], traces[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));   // by increasing sigma
        Assert.Equal([2.0, 7.0], traces[0]!["y"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 9)));
        Assert.Equal([0.0, 1.0], traces[1]!["y"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 9)));
        Assert.Equal("parent accuracy − child accuracy, points", drop["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        var kl = Figure(Charts.KlAgainstSigma(grid, "kl"))["data"]!.AsArray();
        Assert.Equal([0.05, 0.125], kl[1]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([0.001, 0.01], kl[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Throws<ArgumentNullException>(() => Charts.KlAgainstSigma(null!, "kl"));
    }

    [Fact]
    public void MotherNetsVersusSseDrawsTheTwoCurvesAndTheTwoFlatLines()
    {
        var traces = Figure(Charts.MotherNetsVersusSse([80.0, 85.0, 86.0], [70.0, 86.0, 87.5], 84.0, 88.0, children: 4))["data"]!.AsArray();
        Assert.Equal(["MotherNet children (16 → 32 units), mean of 4", "SSE children (64 → 32 units), mean of 4", "mother", "SSE parent"],
            traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([0.0, 1.0, 2.0], traces[1]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([70.0, 86.0, 87.5], traces[1]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([0.0, 2.0], traces[3]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([88.0, 88.0], traces[3]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Throws<ArgumentException>(() => Charts.MotherNetsVersusSse([80.0, 85.0], [70.0], 84.0, 88.0, children: 4));
    }
}
