using System.Text.Json.Nodes;
using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Plotting;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class DecisionSurfaceTests
{
    /// <summary>A 2 → 2 linear model with logits (0, a·x₁ + b·x₂): P(class 1) = sigmoid(a·x₁ + b·x₂).</summary>
    static Mlp Linear(double a, double b)
    {
        var model = new Mlp([(2, 2)]);
        using var _ = no_grad();
        var layer = model.Layers[0];
        layer.weight!.copy_(tensor(new float[] { 0, 0, (float)a, (float)b }, [2, 2]));
        layer.bias!.zero_();
        return model;
    }

    static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    [Fact]
    public void GridRowsFollowYAndColumnsFollowX()
    {
        using var model = Linear(2, -1);
        var surface = DecisionSurface.Evaluate(model, (-1, 1), (0, 2), resolution: 3);
        Assert.Equal([-1.0, 0.0, 1.0], surface.X);
        Assert.Equal([0.0, 1.0, 2.0], surface.Y);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(Sigmoid(2 * surface.X[j] - surface.Y[i]), surface.Probability[i, j], 6);
        var class0 = DecisionSurface.Evaluate(model, (-1, 1), (0, 2), resolution: 3, classIndex: 0);
        Assert.Equal(1 - surface.Probability[2, 0], class0.Probability[2, 0], 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionSurface.Evaluate(model, (-1, 1), (0, 2), resolution: 3, classIndex: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionSurface.Evaluate(model, (1, -1), (0, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionSurface.Evaluate(model, (-1, 1), (0, 2), resolution: 1));
    }

    [Fact]
    public void EnsembleSurfaceCombinesMembersByTheRule()
    {
        using var a = Linear(1, 0);
        using var b = Linear(-3, 0);
        var surface = DecisionSurface.Evaluate([a, b], CombinationRule.MeanProbabilities, (0, 1), (0, 1), resolution: 2);
        Assert.Equal((Sigmoid(1) + Sigmoid(-3)) / 2, surface.Probability[0, 1], 6);   // x = 1
        var logitMean = DecisionSurface.Evaluate([a, b], CombinationRule.MeanLogits, (0, 1), (0, 1), resolution: 2);
        Assert.Equal(Sigmoid(-1), logitMean.Probability[1, 1], 6);                      // mean logit (1 - 3) / 2
    }

    [Fact]
    public void BoundsWidenTheDataBoxAndTheChartDrawsSurfaceAndPoints()
    {
        using var data = new TensorDataset(tensor(new float[] { 0, 0, 2, 1, 1, 4 }, [3, 2]), tensor(new long[] { 0, 1, 1 }), 2);
        var (x, y) = DecisionSurface.Bounds(data, margin: 0.5);
        Assert.Equal((-1.0, 3.0), x);
        Assert.Equal((-2.0, 6.0), y);
        using var model = Linear(1, 1);
        var surface = DecisionSurface.Evaluate(model, x, y, resolution: 4);
        var figure = JsonNode.Parse(GenericChart.toJson(Charts.DecisionSurface(surface, data, "spiral parent")))!;
        var traces = figure["data"]!.AsArray();
        Assert.Equal(3, traces.Count);   // heatmap + one trace per class
        Assert.Equal("heatmap", traces[0]!["type"]!.GetValue<string>());
        Assert.Equal(4, traces[0]!["z"]!.AsArray().Count);
        Assert.Equal(-1.0, traces[0]!["x"]![0]!.GetValue<double>());
        Assert.Equal(1.0, traces[0]!["zmax"]!.GetValue<double>());
        Assert.Equal([2.0, 1.0], traces[2]!["x"]!.AsArray().Select(v => v!.GetValue<double>()));   // class 1 points
        Assert.Equal("#67001f", traces[2]!["marker"]!["color"]!.GetValue<string>());                 // the surface's class: dark red (high P)
        Assert.Equal("#053061", traces[1]!["marker"]!["color"]!.GetValue<string>());
        Assert.Equal("spiral parent", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        using var bad = new TensorDataset(zeros(3, 3), tensor(new long[] { 0, 1, 1 }), 2);
        Assert.Throws<ArgumentException>(() => DecisionSurface.Bounds(bad));
    }
}
