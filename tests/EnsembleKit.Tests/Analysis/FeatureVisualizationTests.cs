using EnsembleKit.Analysis;
using EnsembleKit.Backend;
using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class FeatureVisualizationTests
{
    [Fact]
    public void OptimisedImagesExciteTheirChannelsAndStayInRange()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(6);
        using var net = LeNet.Small(imageSize: 32);
        net.eval();
        using var result = FeatureVisualization.Channels(net.Features, [0, 3, 15], [3, 32, 32], steps: 40, seed: 2);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, result.Images.shape);
        Assert.Equal([0, 3, 15], result.Channels);
        for (int k = 0; k < 3; k++) Assert.True(result.FinalActivation[k] > result.InitialActivation[k] + 1e-3, $"channel {result.Channels[k]}: {result.InitialActivation[k]} -> {result.FinalActivation[k]}");
        Assert.True(result.Images.min().item<float>() >= 0 && result.Images.max().item<float>() <= 1);
        Assert.All(net.parameters(), p => Assert.Null(p.grad));   // only the images were optimised
    }

    [Fact]
    public void SameSeedSameImagesAndTwoNetworksStartAlike()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(7);
        using var a = LeNet.Small(imageSize: 32);
        using var b = LeNet.Small(imageSize: 32);
        using var first = FeatureVisualization.Channels(a.Features, [1, 2], [3, 32, 32], steps: 5, seed: 4);
        using var again = FeatureVisualization.Channels(a.Features, [1, 2], [3, 32, 32], steps: 5, seed: 4);
        Assert.True(first.Images.allclose(again.Images, rtol: 0, atol: 0));
        // zero steps: the start image itself, the same for any network with the same seed
        using var startA = FeatureVisualization.Channels(a.Features, [1, 2], [3, 32, 32], steps: 1, learningRate: 1e-12, seed: 4, jitter: 0);
        using var startB = FeatureVisualization.Channels(b.Features, [1, 2], [3, 32, 32], steps: 1, learningRate: 1e-12, seed: 4, jitter: 0);
        Assert.True(startA.Images.allclose(startB.Images, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        TorchRuntime.EnsureInitialized();
        using var net = LeNet.Small(imageSize: 32);
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureVisualization.Channels(net.Features, [32], [3, 32, 32], steps: 1));
        Assert.Throws<ArgumentException>(() => FeatureVisualization.Channels(net.Features, [], [3, 32, 32]));
        Assert.Throws<ArgumentException>(() => FeatureVisualization.Channels(net.Features, [0], [32, 32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureVisualization.Channels(net.Features, [0], [3, 32, 32], steps: 0));
    }

    [Fact]
    public void LeNetFeaturesAreTheLastConvolutionBeforeItsRelu()
    {
        TorchRuntime.EnsureInitialized();
        using var net = LeNet.Small(imageSize: 32);
        using var x = randn(2, 3, 32, 32);
        using var f = net.Features(x);
        Assert.Equal(new long[] { 2, 32, 10, 10 }, f.shape);
        Assert.True(f.min().item<float>() < 0);   // pre-activation
    }
}
