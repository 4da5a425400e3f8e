using EnsembleKit.Analysis;
using EnsembleKit.Backend;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class SmoothGradTests
{
    static nn.Module<Tensor, Tensor> LinearModel(float[,] weights)
    {
        int classes = weights.GetLength(0), inputs = weights.GetLength(1);
        var linear = nn.Linear(inputs, classes);
        using (no_grad())
        {
            using var w = tensor(weights);
            linear.weight!.copy_(w);
            linear.bias!.zero_();
        }
        return nn.Sequential(nn.Flatten(), linear);
    }

    /// <summary>A seeded random LeNet-S and a batch of random 32×32 images.</summary>
    static (LeNet Model, Tensor Images) NetworkAndImages(int seed, int images)
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(seed);
        return (LeNet.Small(imageSize: 32), randn(images, 3, 32, 32));
    }

    [Fact]
    public void LinearModelGivesTheLargestAbsoluteWeightOverChannels()
    {
        TorchRuntime.EnsureInitialized();
        // 2 channels of a 1×2 image; class 0 weights (c0: 1, -3 | c1: 0.5, 2), class 1 weights (c0: 2, 0 | c1: -4, 1)
        using var model = LinearModel(new float[,] { { 1, -3, 0.5f, 2 }, { 2, 0, -4, 1 } });
        using var x = randn(3, 2, 1, 2);
        using var targets = tensor(new long[] { 0, 1, 0 });
        using var maps = SmoothGrad.Maps(model, x, targets, samples: 1, noiseLevel: 0);
        Assert.Equal(new long[] { 3, 1, 2 }, maps.shape);
        Assert.Equal(new float[] { 1, 3, 4, 1, 1, 3 }, maps.data<float>().ToArray());   // max(|1|,|0.5|), max(|-3|,|2|) ...
        // the gradient of a linear model does not depend on the noise, so averaging noisy copies changes nothing
        using var noisy = SmoothGrad.Maps(model, x, targets, samples: 8, noiseLevel: 0.5, seed: 3);
        Assert.True(noisy.allclose(maps, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void DefaultTargetsAreThePredictionsAndTheModelIsLeftAsItWas()
    {
        var (model, x) = NetworkAndImages(4, 5);
        using var _ = model;
        using var __ = x;
        model.train();
        using var predicted = model.call(x).argmax(1);
        model.train();
        using var byDefault = SmoothGrad.Maps(model, x, samples: 3, seed: 1);
        using var explicitTargets = SmoothGrad.Maps(model, x, predicted, samples: 3, seed: 1, batchSize: 2);
        Assert.True(byDefault.allclose(explicitTargets, rtol: 1e-5, atol: 1e-7));
        Assert.True(model.training);
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        Assert.True(byDefault.min().item<float>() >= 0);
    }

    [Fact]
    public void SameSeedSameMapsOtherSeedOtherMaps()
    {
        var (model, x) = NetworkAndImages(5, 2);
        using var _ = model;
        using var __ = x;
        using var a = SmoothGrad.Maps(model, x, samples: 4, seed: 7);
        using var b = SmoothGrad.Maps(model, x, samples: 4, seed: 7);
        using var c = SmoothGrad.Maps(model, x, samples: 4, seed: 8);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a.allclose(c, rtol: 1e-3, atol: 1e-6));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        TorchRuntime.EnsureInitialized();
        using var model = LinearModel(new float[,] { { 1, 2 } });
        using var flat = randn(2, 2);
        using var x = randn(2, 1, 1, 2);
        using var wrongTargets = tensor(new long[] { 0 });
        Assert.Throws<ArgumentException>(() => SmoothGrad.Maps(model, flat));
        Assert.Throws<ArgumentOutOfRangeException>(() => SmoothGrad.Maps(model, x, samples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SmoothGrad.Maps(model, x, noiseLevel: -1));
        Assert.Throws<ArgumentException>(() => SmoothGrad.Maps(model, x, wrongTargets));
    }

    [Fact]
    public void SaliencyAndFeatureVisualisationLeaveNoLiveTensors()
    {
        var (model, x) = NetworkAndImages(8, 3);
        using var _ = model;
        using var __ = x;
        void Both()
        {
            SmoothGrad.Maps(model, x, samples: 2, batchSize: 2).Dispose();
            FeatureVisualization.Channels(model.Features, [0, 1], [3, 32, 32], steps: 3).Dispose();
        }
        Both();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long live = Tensor.TotalCount;
        Both();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.Equal(live, Tensor.TotalCount);
    }
}
