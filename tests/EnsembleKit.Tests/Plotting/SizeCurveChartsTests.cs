using System.Text.Json.Nodes;
using EnsembleKit.Evaluation;
using EnsembleKit.Plotting;
using EnsembleKit.Training;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>
/// The ensemble-size charts of notebooks 05-07 (error, NLL and calibrated NLL against members), learning-rate schedules
/// drawn as lines, the titles-first <see cref="Charts.Lines(string, string, string, LineSeries[])"/>, and the deep
/// ensemble equivalent table.
/// </summary>
public sealed class SizeCurveChartsTests
{
    static readonly ScoreRow[] Curve =
    [
        new("k = 1", 1, 0.60, 1.40, 0.05, 0.5, 1.20),
        new("k = 2", 2, 0.65, 1.30, 0.04, 0.45, 1.10),
    ];

    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    static List<string> Names(JsonNode figure) => figure["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList();

    static List<double> Values(JsonNode figure, int trace, string axis) =>
        figure["data"]![trace]![axis]!.AsArray().Select(v => v!.GetValue<double>()).ToList();

    static string YTitle(JsonNode figure) => figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>();

    [Fact]
    public void ErrorBySizeDrawsEachCurvesErrorPercentAgainstItsMembers()
    {
        var figure = Figure(Charts.ErrorBySize("Test error", "members k", ("FGE", Curve), ("start model", Curve[0].AtSizes(1, 2))));
        Assert.Equal(["FGE", "start model"], Names(figure));
        Assert.Equal([1.0, 2.0], Values(figure, 0, "x"));
        Assert.Equal([40.0, 35.0], Values(figure, 0, "y").Select(v => Math.Round(v, 10)));   // (1 − 0.60)·100, (1 − 0.65)·100
        Assert.Equal([40.0, 40.0], Values(figure, 1, "y").Select(v => Math.Round(v, 10)));
        Assert.Equal("test error, % (lower is better)", YTitle(figure));
        Assert.Equal("members k", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void NllBySizeDrawsTheNllAndTheCalibratedNllOfEachCurve()
    {
        var figure = Figure(Charts.NllBySize("Test NLL", "snapshots k", ("SE", Curve), ("NoCycle", Curve[..1])));
        Assert.Equal(["SE, NLL", "SE, calibrated NLL", "NoCycle, NLL", "NoCycle, calibrated NLL"], Names(figure));
        Assert.Equal([1.40, 1.30], Values(figure, 0, "y"));
        Assert.Equal([1.20, 1.10], Values(figure, 1, "y"));
        Assert.Equal([1.20], Values(figure, 3, "y"));
        Assert.Equal("NLL (lower is better)", YTitle(figure));
    }

    [Fact]
    public void CalibratedNllBySizeDrawsOneLinePerCurveAndEmptyInputIsRejected()
    {
        var figure = Figure(Charts.CalibratedNllBySize("Test calibrated NLL", "members or samples", ("deep ensemble", Curve)));
        Assert.Equal(["deep ensemble"], Names(figure));
        Assert.Equal([1.20, 1.10], Values(figure, 0, "y"));
        Assert.Equal("calibrated NLL (lower is better)", YTitle(figure));
        Assert.Throws<ArgumentException>(() => Charts.ErrorBySize("t", "x"));
        Assert.Throws<ArgumentNullException>(() => Charts.NllBySize("t", "x", ("none", null!)));
    }

    [Fact]
    public void OfScheduleSamplesTheRateOnAGridOfEpochs()
    {
        var cosine = new CosineAnnealingSchedule();
        var line = LineSeries.OfSchedule("cosine", cosine, epochs: 2, baseRate: 0.1, pointsPerEpoch: 2);
        Assert.Equal([0, 0.5, 1, 1.5], line.X);
        Assert.Equal(new[] { 0, 0.5, 1, 1.5 }.Select(e => cosine.Rate(e, 2, 0.1)), line.Y);
        Assert.Equal(0.1, line.Y[0], 12);   // the peak at epoch 0
        Assert.Equal(0.05, line.Y[2], 12);  // half-way down the cosine at epoch 1 of 2

        var shifted = LineSeries.OfSchedule("later", cosine, epochs: 2, baseRate: 0.1, pointsPerEpoch: 1, includeEnd: true, offset: 3);
        Assert.Equal([3.0, 4, 5], shifted.X);
        Assert.Equal(new[] { 0, 1.0, 2 }.Select(e => cosine.Rate(e, 2, 0.1)), shifted.Y);
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.OfSchedule("bad", cosine, epochs: 0, baseRate: 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LineSeries.OfSchedule("bad", cosine, epochs: 2, baseRate: 0.1, pointsPerEpoch: 0));
        Assert.Throws<ArgumentNullException>(() => LineSeries.OfSchedule("bad", null!, epochs: 2, baseRate: 0.1));
    }

    [Fact]
    public void LinesWithTitlesFirstIsTheSameChart()
    {
        var a = new LineSeries("a", [1, 2], [3, 4]);
        var b = new LineSeries("b", [1, 2], [5, 6]);
        Assert.Equal(GenericChart.toJson(Charts.Lines([a, b], "t", "x", "y")), GenericChart.toJson(Charts.Lines("t", "x", "y", a, b)));
        Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y"));
    }

    [Fact]
    public void DeepEnsembleEquivalentsTableRoundsAsTheNotebookPrints()
    {
        var rows = DeeRow.Of(Curve, [Curve[0] with { Name = "single model" }, new ScoreRow("MC dropout, T = 5", 5, 0.623456, 1.234567, 0.045678, 0.5, 1.15)]);
        var frame = Tables.DeepEnsembleEquivalents(rows);
        Assert.Equal(["Method", "ForwardPasses", "ErrorPct", "Nll", "CalibratedNll", "Ece", "Dee"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["single model", "MC dropout, T = 5"], frame.Columns["Method"].Cast<string>());
        Assert.Equal([1, 5], frame.Columns["ForwardPasses"].Cast<int>());
        Assert.Equal([40.0, 37.65], frame.Columns["ErrorPct"].Cast<double>());   // (1 − 0.623456)·100 = 37.6544
        Assert.Equal([1.4, 1.2346], frame.Columns["Nll"].Cast<double>());
        Assert.Equal([0.05, 0.0457], frame.Columns["Ece"].Cast<double>());
        Assert.Equal([1.0, 1.5], frame.Columns["Dee"].Cast<double>());            // 1.15 halfway from 1.20 to 1.10
        Assert.Throws<ArgumentNullException>(() => Tables.DeepEnsembleEquivalents(null!));
    }
}
