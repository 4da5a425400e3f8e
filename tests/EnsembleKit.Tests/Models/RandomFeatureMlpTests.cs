using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class RandomFeatureMlpTests
{
    const int D = 5, M = 12, C = 3;

    static Tensor Buffer(nn.Module model, string name) => model.named_buffers().Single(b => b.name == name).buffer;

    [Fact]
    public void ItIsAReadoutOfFixedRandomReluFeatures()
    {
        TestSupport.LoadTorch();
        manual_seed(11);
        using var model = new RandomFeatureMlp(D, M, C);
        Assert.Equal(new[] { "output.bias", "output.weight" }, model.named_parameters().Select(p => p.name).OrderBy(n => n));
        Assert.Equal(new[] { "hidden_bias", "hidden_weight" }, model.named_buffers().Select(b => b.name).OrderBy(n => n));
        Assert.Equal(C * M + C, model.parameters().Sum(p => p.numel()));
        // same seed, same start as an Mlp d-m-C: both layers drawn in the same order
        manual_seed(11);
        using var mlp = new Mlp([(D, M), (M, C)]);
        using var x = randn(7, D);
        using var expected = mlp.forward(x);
        using var actual = model.forward(x);
        Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-6));
        // features: relu(x W0^T + b0), written out by hand
        using var features = model.Features(x);
        using var byHand = x.matmul(Buffer(model, "hidden_weight").t()).add(Buffer(model, "hidden_bias")).relu();
        Assert.True(features.allclose(byHand, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void TrainingChangesOnlyTheLastLayer()
    {
        TestSupport.LoadTorch();
        manual_seed(12);
        using var inputs = randn(64, D);
        using var targets = randint(0, C, 64);
        var data = new TensorDataset(inputs, targets, C, "random");
        using var model = new RandomFeatureMlp(D, M, C);
        using var w0 = Buffer(model, "hidden_weight").clone();
        using var b0 = Buffer(model, "hidden_bias").clone();
        using var a0 = model.Output.weight!.detach().clone();
        new Trainer(new TrainingOptions { Epochs = 3, BatchSize = 16, Progress = ProgressSinks.None }).Fit(model, data);
        Assert.True(Buffer(model, "hidden_weight").eq(w0).all().item<bool>());
        Assert.True(Buffer(model, "hidden_bias").eq(b0).all().item<bool>());
        Assert.False(model.Output.weight!.detach().allclose(a0));
        // buffers move with the module
        model.to(ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, Buffer(model, "hidden_weight").dtype);
        using var x64 = randn(2, D, dtype: ScalarType.Float64);
        using var y = model.forward(x64);
        Assert.Equal(ScalarType.Float64, y.dtype);
    }

    [Fact]
    public void BadSizesAndInputsAreRejectedAndForwardsLeakNothing()
    {
        Assert.ThrowsAny<ArgumentException>(() => new RandomFeatureMlp(D, 0, C));
        var e = Assert.ThrowsAny<ArgumentException>(() => new RandomFeatureMlp(-2, M, C));
        Assert.Contains("input size", e.Message);
        using var model = new RandomFeatureMlp(D, M, C);
        using var wrong = randn(4, D - 1);
        e = Assert.Throws<ArgumentException>(() => model.forward(wrong));
        Assert.Contains("[4, 4]", e.Message);
        using var x = randn(5, D);
        using (var warm = model.forward(x)) { }
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 20; i++)
            using (var y = model.forward(x)) { }
        // Counted without collecting: a temporary left for the finaliser fails it too.
        Assert.Equal(before, Tensor.TotalCount);
    }
}
