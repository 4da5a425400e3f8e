using EnsembleKit.Plotting;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

public class ImageStripTests
{
    [Fact]
    public void MapsSitSideBySideEachScaledToItsMaximumWithAnEmptyColumnBetween()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).view(2, 2);
        using var b = tensor(new float[] { 0, 5, 10, 2.5f }).view(2, 2);
        var values = Charts.ImageStripValues([a, b]);
        Assert.Equal(2, values.GetLength(0));
        Assert.Equal(5, values.GetLength(1));
        // by hand: a / 4 = [[0.25, 0.5], [0.75, 1]], b / 10 = [[0, 0.5], [1, 0.25]]
        double[,] expected = { { 0.25, 0.5, double.NaN, 0, 0.5 }, { 0.75, 1, double.NaN, 1, 0.25 } };
        for (int i = 0; i < 2; i++) for (int j = 0; j < 5; j++) Assert.Equal(expected[i, j], values[i, j], 6);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        using var square = zeros(3, 3);
        using var wide = zeros(3, 4);
        using var image = zeros(1, 3, 3);
        Assert.Throws<ArgumentException>(() => Charts.ImageStripValues([]));
        Assert.Contains("map 1 is [3, 4]", Assert.Throws<ArgumentException>(() => Charts.ImageStripValues([square, wide])).Message);
        Assert.Throws<ArgumentException>(() => Charts.ImageStripValues([image]));
        Assert.Throws<ArgumentException>(() => Charts.ImageStrip([square], ["a", "b"], "t", "v"));
    }

    [Fact]
    public void TheChartNamesTheMapsInOrder()
    {
        using var a = ones(2, 2);
        var figure = System.Text.Json.Nodes.JsonNode.Parse(Plotly.NET.GenericChart.toJson(Charts.ImageStrip([a, a], ["parent", "child"], "SmoothGrad", "saliency")))!;
        Assert.Equal("SmoothGrad: parent | child", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }
}
