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

    [Fact]
    public void OfReadsXAndYFromEachPointInOrder()
    {
        var rows = new[] { (K: 1, Error: 12.5), (K: 2, Error: 10.0), (K: 4, Error: 9.25) };
        var line = LineSeries.Of("FGE", rows, r => r.K, r => r.Error);
        Assert.Equal("FGE", line.Name);
        Assert.Equal([1.0, 2, 4], line.X);
        Assert.Equal([12.5, 10.0, 9.25], line.Y);
        Assert.Throws<ArgumentNullException>(() => LineSeries.Of("bad", rows, null!, r => r.Error));
    }

    [Fact]
    public void ASizeSweepIsOneLinePerMethodAgainstK()
    {
        static EnsembleKit.Evaluation.SizeSweepRow Row(string method, int k, double nll) =>
            new(method, k, new EnsembleKit.Evaluation.ScoreRow(method, k, 0.9, 0, 0, 0, nll), 1);
        var rows = new[] { Row("deep", 1, 0.40), Row("snap", 1, 0.45), Row("deep", 5, 0.30), Row("snap", 5, 0.35), Row("deep", 10, 0.28) };
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.SizeSweep(rows, ["snap", "deep"], r => r.CalibratedNll, "sweep", "calibrated NLL")))!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(["snap", "deep"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([1.0, 5, 10], data[1]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([0.40, 0.30, 0.28], data[1]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("k", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Contains("'vi'", Assert.Throws<ArgumentException>(() => Charts.SizeSweep(rows, ["vi"], r => r.Nll, "t", "y")).Message);
    }

    [Fact]
    public void SampledKeepsEvenlySpacedPointsFirstAndLastIncluded()
    {
        double[] x = Enumerable.Range(0, 11).Select(i => (double)i).ToArray(), y = x.Select(v => v * v).ToArray();
        var sampled = LineSeries.Sampled("roc", x, y, points: 4);
        // by hand: indices i·10/3 for i = 0..3, truncated: 0, 3, 6, 10
        Assert.Equal([0.0, 3, 6, 10], sampled.X);
        Assert.Equal([0.0, 9, 36, 100], sampled.Y);
        Assert.Equal("roc", sampled.Name);
        Assert.Equal(x, LineSeries.Sampled("short", x, y, points: 11).X);
        Assert.Throws<ArgumentException>(() => LineSeries.Sampled("bad", x, [1.0], points: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.Sampled("bad", x, y, points: 1));
    }
}
