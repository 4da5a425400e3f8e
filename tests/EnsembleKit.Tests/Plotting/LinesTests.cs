using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

public class LinesTests
{
    [Fact]
    public void OneNamedTracePerSeriesWithItsValuesAndAxisTitles()
    {
        var chart = Charts.Lines([new LineSeries("naive", [2, 3], [0.8, 0.6]), new LineSeries("aligned", [2, 3], [0.85, 0.84])],
            "Averaged model accuracy", "members averaged", "test accuracy");
        var figure = JsonNode.Parse(GenericChart.toJson(chart))!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(["naive", "aligned"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([0.85, 0.84], data[1]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("members averaged", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void MismatchedLengthsAndNoSeriesAreRejected()
    {
        Assert.Contains("'bad'", Assert.Throws<ArgumentException>(() => Charts.Lines([new LineSeries("bad", [1, 2], [1])], "t", "x", "y")).Message);
        Assert.Throws<ArgumentException>(() => Charts.Lines([], "t", "x", "y"));
    }
}
