using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class LossSurfaceTests
{
    static (Mlp Model, TensorDataset Data) Toy()
    {
        manual_seed(11);
        var model = new Mlp([(5, 7), (7, 3)]);
        var inputs = randn(60, 5);
        var targets = inputs.narrow(1, 0, 3).argmax(1);
        return (model, new TensorDataset(inputs, targets, 3, "toy"));
    }

    [Fact]
    public void EachFilterOfTheDirectionHasTheNormOfTheWeightsFilterAndBiasesGetNone()
    {
        TestSupport.LoadTorch();
        using var layer = nn.Linear(2, 3);
        using (no_grad())
        {
            layer.weight!.copy_(tensor(new float[] { 3, 4, 0, 0, 1, 0 }).view(3, 2));   // filter norms 5, 0, 1
            layer.bias!.fill_(7);
        }
        var direction = FilterNormalizedDirection.Draw(layer, seed: 3);
        var rows = direction["weight"].to(ScalarType.Float64).norm(1).data<double>().ToArray();
        Assert.Equal(5, rows[0], 5);
        Assert.Equal(0, rows[1], 12);                     // a removed unit stays removed, no NaN
        Assert.Equal(1, rows[2], 5);
        Assert.Equal(0, direction["bias"].abs().sum().item<float>());

        var again = FilterNormalizedDirection.Draw(layer, seed: 3);
        var other = FilterNormalizedDirection.Draw(layer, seed: 4);
        Assert.True(again["weight"].eq(direction["weight"]).all().item<bool>());
        Assert.False(other["weight"].eq(direction["weight"]).all().item<bool>());
        foreach (var t in direction.Values.Concat(again.Values).Concat(other.Values)) t.Dispose();
    }

    [Fact]
    public void EveryGridPointIsTheLossOfTheMovedWeightsAndTheModelIsPutBack()
    {
        var (model, data) = Toy();
        using var _ = data;
        var before = model.parameters().Select(p => p.detach().clone()).ToList();

        var surface = LossSurface.Evaluate("toy", model, data, extent: 0.5, steps: 3, seed: 9);
        Assert.Equal(new[] { -0.5, 0, 0.5 }, surface.Alphas);
        Assert.Equal(new[] { -0.5, 0, 0.5 }, surface.Betas);
        Assert.All(model.parameters().Zip(before), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>(), "weights not restored"));

        // The centre is the model itself.
        using (var logits = Predict.Logits(model, data))
        using (var loss = nn.functional.cross_entropy(logits, data.Targets))
            Assert.Equal(loss.item<float>(), surface.CentreLoss, 5);

        // A corner, recomputed by hand: theta + alpha * delta + beta * eta with the documented seeds.
        var delta = FilterNormalizedDirection.Draw(model, 9);
        var eta = FilterNormalizedDirection.Draw(model, SeedMix.Of(9, 1));
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                p.add_(delta[name].mul(-0.5)).add_(eta[name].mul(0.5));
        using (var logits = Predict.Logits(model, data))
        using (var loss = nn.functional.cross_entropy(logits, data.Targets))
        {
            Assert.Equal(loss.item<float>(), surface.Loss[0, 2], 4);
            Assert.Equal(logits.argmax(1).eq(data.Targets).to(ScalarType.Float64).mean().item<double>(), surface.Accuracy[0, 2], 12);
        }
        Assert.NotEqual(surface.CentreLoss, surface.Loss[0, 2]);
        foreach (var t in delta.Values.Concat(eta.Values).Concat(before)) t.Dispose();
    }

    [Fact]
    public void BasinAreaAndMeanRiseFollowTheirDefinitions()
    {
        double[,] loss = { { 3, 2, 3 }, { 1, 0.5, 2 }, { 4, 1, 1 } };
        var surface = new LossSurface("hand", [-1, 0, 1], [-1, 0, 1], loss, new double[3, 3]);
        Assert.Equal(0.5, surface.CentreLoss);
        Assert.Equal(4 / 9.0, surface.BasinArea(0.5), 12);      // 1, 0.5, 1, 1 are within 0.5 of the centre
        Assert.Equal(1 / 9.0, surface.BasinArea(0), 12);
        Assert.Equal(1.0, surface.BasinArea(3.5), 12);
        Assert.Equal(17.5 / 9 - 0.5, surface.MeanRise, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => surface.BasinArea(-0.1));
    }

    [Fact]
    public void RiseWithinARadiusAveragesOnlyThePointsInsideIt()
    {
        double[,] loss = { { 3, 2, 3 }, { 1, 0.5, 2 }, { 4, 1, 100 } };
        var surface = new LossSurface("hand", [-1, 0, 1], [-1, 0, 1], loss, new double[3, 3]);
        Assert.Equal(0.0, surface.RiseWithin(0.5), 12);                                        // the centre alone
        Assert.Equal((1.5 + 0.5 + 0 + 1.5 + 0.5) / 5, surface.RiseWithin(1), 12);              // the centre and its 4 axis neighbours
        Assert.Equal(surface.MeanRise, surface.RiseWithin(Math.Sqrt(2)), 12);                  // the corners lie on the circle of radius √2
        Assert.Throws<ArgumentOutOfRangeException>(() => surface.RiseWithin(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => surface.RiseWithin(double.NaN));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var (model, data) = Toy();
        using var _ = data;
        Assert.Throws<ArgumentOutOfRangeException>(() => LossSurface.Evaluate("x", model, data, steps: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossSurface.Evaluate("x", model, data, steps: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossSurface.Evaluate("x", model, data, extent: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossSurface.Evaluate("x", model, data, extent: double.NaN));
        Assert.Throws<ArgumentNullException>(() => LossSurface.Evaluate("x", model, null!));
    }

    [Fact]
    public void ItLeavesNoTensorsBehind()
    {
        var (model, data) = Toy();
        using var _ = data;
        LossSurface.Evaluate("warm-up", model, data, steps: 3);
        long before = TestSupport.LiveTensorCount();
        LossSurface.Evaluate("x", model, data, steps: 5);
        Assert.Equal(before, TestSupport.LiveTensorCount());
        // Nor any for the finaliser: moving the weights to each of the 25 grid points freed its handles as it went.
        long unfinalised = Tensor.TotalCount;
        LossSurface.Evaluate("y", model, data, steps: 5);
        Assert.Equal(unfinalised, Tensor.TotalCount);
    }
}
