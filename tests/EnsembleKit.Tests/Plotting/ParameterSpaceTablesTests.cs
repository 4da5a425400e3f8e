using System.Text.Json.Nodes;
using EnsembleKit.Experiments;
using EnsembleKit.Plotting;
using EnsembleKit.WeightSpace;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

public sealed class ParameterSpaceTablesTests
{
    // λ 0, 0.5, 1: losses 1, 2, 1 (barrier 2 − 1 = 1), accuracies 0.9, 0.5, 0.8 (barrier 0.85 − 0.5 = 0.35)
    static readonly InterpolationCurve Bumpy = new("raw", [new(0, 1, 0.9), new(0.5, 2, 0.5), new(1, 1, 0.8)]);
    static readonly InterpolationCurve Flat = new("after weight matching", [new(0, 1, 0.9), new(0.5, 0.9, 0.88), new(1, 1.2, 0.8)]);

    [Fact]
    public void MergedModelsRoundsTheAccuracyToTwoDecimals()
    {
        var frame = Tables.MergedModels([new("best member", 89.3912, 1), new("deep ensemble (mean of logits)", 89.8751, 3)]);
        Assert.Equal(["Method", "TestAccuracy", "ForwardPasses"], frame.Columns.Select(c => c.Name));
        Assert.Equal([89.39, 89.88], frame.Columns["TestAccuracy"].Cast<double>());
        Assert.Equal([1, 3], frame.Columns["ForwardPasses"].Cast<int>());
        Assert.Equal("deep ensemble (mean of logits)", frame.Columns["Method"][1]);
        Assert.Throws<ArgumentNullException>(() => Tables.MergedModels(null!));
    }

    [Fact]
    public void InterpolationBarriersByHand()
    {
        var frame = Tables.InterpolationBarriers([Bumpy, Flat]);
        Assert.Equal(["Path", "LossBarrier", "AccuracyBarrierPoints", "MidpointAccuracy"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["raw", "after weight matching"], frame.Columns["Path"].Cast<string>());
        // flat: 0.9 − (0.5·1 + 0.5·1.2) = −0.2 at the middle, 0 at the ends; accuracy 0.85 − 0.88 = −0.03 in the middle
        Assert.Equal([1.0, 0.0], frame.Columns["LossBarrier"].Cast<double>());
        Assert.Equal([35.0, 0.0], frame.Columns["AccuracyBarrierPoints"].Cast<double>());
        Assert.Equal([50.0, 88.0], frame.Columns["MidpointAccuracy"].Cast<double>());
    }

    [Fact]
    public void InterpolationLossIsOneLinePerCurveAgainstLambda()
    {
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.InterpolationLoss([Bumpy, Flat], "between members")))!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(["raw", "after weight matching"], data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([0.0, 0.5, 1], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([1.0, 0.9, 1.2], data[1]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("λ", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.InterpolationLoss([], "none"));
    }

    [Fact]
    public void MergeSweepIsThreeLinesAgainstM()
    {
        var rows = new[] { new MergeSweepRow(2, 40, 85, 88), new MergeSweepRow(3, 20, 84, 89) };
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.MergeSweep(rows)))!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(["naive weight average", "weight matching, then average", "deep ensemble (M forward passes)"],
            data.Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal([2.0, 3], data[0]!["x"]!.AsArray().Select(x => x!.GetValue<double>()));
        Assert.Equal([40.0, 20], data[0]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal([88.0, 89], data[2]!["y"]!.AsArray().Select(y => y!.GetValue<double>()));
        Assert.Equal("members M", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Charts.MergeSweep([]));
    }
}
