using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 11's chart of how the four pruning methods treat a removed weight during tuning.</summary>
public sealed class AnnealingActivityTests
{
    [Fact]
    public void PerStepLinesFollowTheFormulas()
    {
        var lines = LineSeries.AnnealingActivity(tuneEpochs: 2, epsilon: 2, perStep: true, sparsity: 0.8, temperature: 0.5);
        Assert.Equal(["one-shot", "iterative (equal steps at epoch starts)", "random annealing (mean over removed weights)",
            $"temperature annealing, τ₀ = {0.5}"], lines.Select(l => l.Name));
        Assert.All(lines, l => Assert.Equal(21, l.X.Count));
        Assert.Equal(0.5, lines[0].X[5], 12);
        Assert.All(lines[0].Y, y => Assert.Equal(0, y));
        // iterative: 1 − (⌊t⌋ + 1)/ε before ε = 2, then 0
        Assert.Equal([0.5, 0.5, 0.0, 0.0], new[] { 0, 5, 10, 20 }.Select(i => lines[1].Y[i]));
        // random annealing: linear from s/2 = 0.4 to 0 at ε; temperature: ½ τ₀ (1 + cos(π t/ε))
        Assert.Equal(0.4, lines[2].Y[0], 12);
        Assert.Equal(0.3, lines[2].Y[5], 12);
        Assert.Equal(0.2, lines[2].Y[10], 12);
        Assert.Equal(0.0, lines[2].Y[20], 12);
        Assert.Equal(0.5, lines[3].Y[0], 12);
        Assert.Equal(0.25, lines[3].Y[10], 12);
        Assert.Equal(0.25 * (1 + Math.Cos(Math.PI / 4)), lines[3].Y[5], 12);
    }

    [Fact]
    public void PerEpochAnnealingHoldsEachEpochsValue()
    {
        var lines = LineSeries.AnnealingActivity(tuneEpochs: 2, epsilon: 2, perStep: false, sparsity: 0.8, temperature: 0.5);
        Assert.Equal(0.4, lines[2].Y[5], 12);
        Assert.Equal(0.2, lines[2].Y[15], 12);
        Assert.Equal(0.5, lines[3].Y[9], 12);
    }

    [Fact]
    public void ChartCarriesTheLinesAndTitles()
    {
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.AnnealingActivity(3, 1, true, 0.9, 0.5)))!;
        Assert.Equal(4, figure["data"]!.AsArray().Count);
        Assert.Equal(31, figure["data"]![0]!["x"]!.AsArray().Count);
        Assert.Equal("epoch", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Contains("ε = 1", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.AnnealingActivity(0, 1, true, 0.5, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.AnnealingActivity(2, 0, true, 0.5, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.AnnealingActivity(2, 1, true, 1.5, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.AnnealingActivity(2, 1, true, 0.5, -0.1));
    }
}
