using System.Text.Json.Nodes;
using EnsembleKit.Analysis;
using EnsembleKit.Evaluation;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 12's hash-distance tables, from hand-made distances.</summary>
public sealed class HashDiversityTablesTests
{
    static readonly HashKind[] FiveKinds = [HashKind.Average, HashKind.Perceptual, HashKind.Difference, HashKind.Wavelet, HashKind.Color];

    // Every image of the pair `offset` bits apart under every kind, but colour hash one more; distances 2 and 4 around it.
    static SiblingHashDistances Pair(string name, int offset, double rmse, IReadOnlyList<HashKind> kinds) =>
        new(name, kinds.Select(k => HashDistanceSummary.Of(k, 64, [offset - 1 + (k == HashKind.Color ? 1 : 0), offset + 1 + (k == HashKind.Color ? 1 : 0)])).ToList(), rmse);

    [Fact]
    public void SiblingHashDistancesHaveOneColumnAKindAfterTheOptionalOnes()
    {
        var rows = new[] { Pair("Snapshot pair", 3, 0.037219, FiveKinds[..4]), Pair("NP pair", 5, 0.06371, FiveKinds[..4]) };
        var saliency = Tables.SiblingHashDistances(rows);
        Assert.Equal(["Pair", "Rmse", "AHash", "PHash", "DHash", "WHash"], saliency.Columns.Select(c => c.Name));
        Assert.Equal(0.0372, saliency.Columns["Rmse"][0]);
        Assert.Equal("5.00 ± 1.00", saliency.Columns["PHash"][1]);        // distances 4 and 6: sd 1.414, / sqrt 2
        var features = Tables.SiblingHashDistances([Pair("a", 3, 0, FiveKinds)], includeRmse: false, channels: 32);
        Assert.Equal(["Pair", "Channels", "AHash", "PHash", "DHash", "WHash", "ColorHash"], features.Columns.Select(c => c.Name));
        Assert.Equal(32, features.Columns["Channels"][0]);
        Assert.Equal("4.00 ± 1.00", features.Columns["ColorHash"][0]);
    }

    [Fact]
    public void SiblingHashDistancesRefuseNoRowsAndMixedKinds()
    {
        Assert.Throws<ArgumentException>(() => Tables.SiblingHashDistances([]));
        Assert.Throws<ArgumentException>(() => Tables.SiblingHashDistances([Pair("a", 3, 0, FiveKinds), Pair("b", 3, 0, FiveKinds[..4])]));
    }

    [Fact]
    public void HashDiversityVersusPaperSetsBothFiguresBesideTheRun()
    {
        var saliency = new[] { Pair("Snapshot pair", 10, 0.03714, FiveKinds[..4]), Pair("NP pair", 12, 0.06377, FiveKinds[..4]) };
        var features = new[] { Pair("Snapshot pair", 12, 0, FiveKinds), Pair("NP pair", 11, 0, FiveKinds) };
        var frame = Tables.HashDiversityVersusPaper(saliency, features);
        Assert.Equal(["What", "PaperSnapshot", "PaperNp", "PaperNpFurther", "ThisRunSnapshot", "ThisRunNp", "ThisRunNpFurther"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["saliency RMSE", "saliency aHash", "saliency pHash", "saliency dHash", "saliency wHash",
            "features aHash", "features pHash", "features dHash", "features wHash", "features colour hash"], frame.Columns["What"].Cast<string>());
        Assert.Equal([0.0371, 10, 10, 10, 10, 12, 12, 12, 12, 13], frame.Columns["ThisRunSnapshot"].Cast<double>());
        Assert.Equal([0.0638, 12, 12, 12, 12, 11, 11, 11, 11, 12], frame.Columns["ThisRunNp"].Cast<double>());
        Assert.Equal([true, true, true, true, true, false, false, false, false, false], frame.Columns["ThisRunNpFurther"].Cast<bool>());
        Assert.Equal([0.06, 10.01, 18.12, 10.00, 15.13, 30.85, 30.77, 31.55, 30.94, 27.56], frame.Columns["PaperSnapshot"].Cast<double>());
        Assert.Equal(32.74, frame.Columns["PaperNp"][9]);
        Assert.All(frame.Columns["PaperNpFurther"].Cast<bool>(), Assert.True);
    }

    [Fact]
    public void HashDiversityVersusPaperNeedsTwoPairsAndEveryKind()
    {
        var four = new[] { Pair("s", 1, 0, FiveKinds[..4]), Pair("n", 2, 0, FiveKinds[..4]) };
        Assert.Throws<ArgumentException>(() => Tables.HashDiversityVersusPaper(four[..1], four));
        // The features need the colour hash too.
        Assert.Throws<ArgumentException>(() => Tables.HashDiversityVersusPaper(four, four));
    }

    [Fact]
    public void OutputCorrelationsRoundTheAccuracyAndTheCorrelations()
    {
        var sets = new[]
        {
            new OutputCorrelationSummary("SSE (R)", 2, 61.23456, 0.906789, 0.012345, new double[,] { { 1, 0.906789 }, { 0.906789, 1 } }),
            new OutputCorrelationSummary("SSE (NP)", 2, 60.5, 0.89912, 0.0, new double[,] { { 1, 0.89912 }, { 0.89912, 1 } }),
        };
        var table = Tables.OutputCorrelations(sets);
        Assert.Equal(["Ensemble", "Children", "Accuracy", "MeanCorrelation", "Std"], table.Columns.Select(c => c.Name));
        Assert.Equal("SSE (NP)", table.Columns["Ensemble"][1]);
        Assert.Equal(2, table.Columns["Children"][0]);
        Assert.Equal(61.23, table.Columns["Accuracy"][0]);
        Assert.Equal(0.9068, table.Columns["MeanCorrelation"][0]);
        Assert.Equal(0.0123, table.Columns["Std"][0]);
        Assert.Throws<ArgumentException>(() => Tables.OutputCorrelations([]));

        var heatmap = JsonNode.Parse(GenericChart.toJson(Charts.OutputCorrelation(sets[0])))!;
        Assert.Equal(["child 1", "child 2"], heatmap["data"]![0]!["x"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("SSE (R): output correlation between children", heatmap["layout"]!["title"]!["text"]!.GetValue<string>());
        var text = heatmap["data"]![0]!["text"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => v!.GetValue<string>())).ToList();
        Assert.Equal(["0.907", "0.907", "1.000", "1.000"], text.Order());
        Assert.Throws<ArgumentNullException>(() => Charts.OutputCorrelation(null!));
    }
}
