using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

public class EmbeddingScatterTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    [Fact]
    public void OneTracePerRunInEpochOrderWithEpochLabels()
    {
        // Run "a" given out of epoch order: epochs 2, 1, 3 at x = 20, 10, 30.
        double[,] embedding = { { 20, 2 }, { 10, 1 }, { -1, -1 }, { 30, 3 }, { -2, -2 } };
        string[] runs = ["a", "a", "b", "a", "b"];
        int[] epochs = [2, 1, 1, 3, 2];
        var figure = Figure(Charts.EmbeddingScatter(embedding, runs, epochs));
        var data = figure["data"]!.AsArray();
        Assert.Equal(["a", "b"], data.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([10.0, 20.0, 30.0], data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([1.0, 2.0, 3.0], data[0]!["y"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(["1", "2", "3"], data[0]!["text"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("lines+markers+text", data[0]!["mode"]!.GetValue<string>());
        Assert.Equal("b, epoch 2", data[1]!["hovertext"]!.AsArray()[1]!.GetValue<string>());
        Assert.Equal("t-SNE dimension 1", figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void PlainScatterWithoutSteps()
    {
        double[,] embedding = { { 0, 0 }, { 1, 1 }, { 2, 0 } };
        var figure = Figure(Charts.EmbeddingScatter(embedding, ["cat", "dog", "cat"], connect: false, title: "classes"));
        var data = figure["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("markers", data[0]!["mode"]!.GetValue<string>());
        Assert.Equal([0.0, 2.0], data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Null(data[0]!["text"]);
        Assert.Equal("classes", figure["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void IncludeDrawsOnlyTheFlaggedPointsWhereTheyAre()
    {
        double[,] embedding = { { 0, 0 }, { 1, 1 }, { 2, 0 }, { 3, 3 } };
        var figure = Figure(Charts.EmbeddingScatter(embedding, ["cat", "dog", "cat", "dog"], connect: false, include: [false, true, true, false]));
        var data = figure["data"]!.AsArray();
        Assert.Equal(["dog", "cat"], data.Select(t => t!["name"]!.GetValue<string>()));   // in order of first drawn point
        Assert.Equal([1.0], data[0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal([2.0], data[1]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void APredictionEmbeddingIsDrawnByTrueClassByPredictedClassAndWithItsMistakesOnly()
    {
        // Inputs 1 and 2 mispredicted: a "cat" taken for a "dog" and a "dog" for a "cat".
        var map = new EnsembleKit.Analysis.PredictionEmbedding(new double[,] { { 0, 0 }, { 1, 1 }, { 2, 0 }, { 3, 3 } }, [0, 0, 1, 1], [0, 1, 0, 1]);
        var charts = Charts.PredictionEmbeddingScatters(map, ["cat", "dog"], "parent");
        Assert.Equal(3, charts.Count);
        var titles = charts.Select(c => Figure(c)["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(["parent: coloured by true class", "parent: coloured by predicted class", "parent: the 2 mispredictions, coloured by true class"], titles);
        double[] X(GenericChart chart, int trace) => Figure(chart)["data"]!.AsArray()[trace]!["x"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal([0.0, 1.0], X(charts[0], 0));   // true cats
        Assert.Equal([0.0, 2.0], X(charts[1], 0));   // predicted cats
        Assert.Equal([1.0], X(charts[2], 0));        // the mispredicted cat
        Assert.Equal([2.0], X(charts[2], 1));        // the mispredicted dog
        Assert.Throws<ArgumentException>(() => Charts.PredictionEmbeddingScatters(map, ["cat"], "parent"));
    }

    [Fact]
    public void MismatchedInputsAreRejected()
    {
        double[,] embedding = { { 0, 0 }, { 1, 1 } };
        Assert.Throws<ArgumentException>(() => Charts.EmbeddingScatter(embedding, ["a"]));
        Assert.Throws<ArgumentException>(() => Charts.EmbeddingScatter(embedding, ["a", "b"], [1]));
        Assert.Throws<ArgumentException>(() => Charts.EmbeddingScatter(new double[2, 3], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => Charts.EmbeddingScatter(embedding, ["a", "b"], include: [true]));
    }

    [Fact]
    public void TrajectoryChartsDrawOneTraceARun()
    {
        var runs = EnsembleKit.Tests.TrajectoryFixtures.TwoRuns();
        var accuracy = Figure(Charts.TrajectoryAccuracy(runs, "accuracy")!)["data"]!.AsArray();
        Assert.Equal(["run 1", "run 2"], accuracy.Select(t => (string)t!["name"]!));
        Assert.Equal([0.0, 1, 2, 3], accuracy[0]!["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal([60.0, 70, 80, 90], accuracy[0]!["y"]!.AsArray().Select(v => Math.Round((double)v!, 9)));
        var embedding = EnsembleKit.Analysis.TrajectoryEmbedding.Of(runs, epochs: 3);
        var tsne = Figure(Charts.TrajectoryTsne(embedding, "t-SNE"))["data"]!.AsArray();
        Assert.Equal(2, tsne.Count);
        Assert.Equal(embedding.Result.Embedding[0, 0], (double)tsne[0]!["x"]!.AsArray()[0]!, 9);
        Assert.Throws<ArgumentException>(() => Charts.TrajectoryAccuracy([], "none"));
        foreach (var run in runs) run.Model.Dispose();
    }
}
