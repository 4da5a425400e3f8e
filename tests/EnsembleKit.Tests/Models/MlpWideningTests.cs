using EnsembleKit.Backend;
using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class MlpWideningTests
{
    [Fact]
    public void WideningPreservesTheFunctionAndKeepsTheOldWeights()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(1);
        var small = new Mlp([(6, 4), (4, 5), (5, 3)]);
        var wide = MlpWidening.Widen(small, hiddenLayer: 0, width: 9, seed: 2);
        Assert.Equal([(6, 9), (9, 5), (5, 3)], wide.Spec);
        using var x = randn(7, 6);
        using var a = small.call(x);
        using var b = wide.call(x);
        Assert.True(a.allclose(b, rtol: 0, atol: 1e-6));
        Assert.True(wide.Layers[0].weight!.narrow(0, 0, 4).allclose(small.Layers[0].weight!, rtol: 0, atol: 0));
        Assert.True(wide.Layers[2].weight!.allclose(small.Layers[2].weight!, rtol: 0, atol: 0));
        Assert.Equal(0f, wide.Layers[1].weight!.narrow(1, 4, 5).abs().sum().item<float>());   // new units silent downstream
        Assert.True(wide.Layers[0].weight!.narrow(0, 4, 5).abs().sum().item<float>() > 0);    // but they do receive input
        double bound = 1 / Math.Sqrt(6);
        Assert.True(wide.Layers[0].weight!.narrow(0, 4, 5).abs().max().item<float>() <= bound);
    }

    [Fact]
    public void SameSeedSameNewUnitsAndTheOriginalIsUntouched()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(3);
        var small = new Mlp([(5, 3), (3, 2)]);
        using var before = small.Layers[0].weight!.clone();
        var a = MlpWidening.Widen(small, 0, 6, seed: 4);
        var b = MlpWidening.Widen(small, 0, 6, seed: 4);
        var c = MlpWidening.Widen(small, 0, 6, seed: 5);
        Assert.True(a.Layers[0].weight!.allclose(b.Layers[0].weight!, rtol: 0, atol: 0));
        Assert.False(a.Layers[0].weight!.allclose(c.Layers[0].weight!));
        Assert.True(small.Layers[0].weight!.allclose(before, rtol: 0, atol: 0));
        Assert.Equal([(5, 3), (3, 2)], small.Spec);
    }

    [Fact]
    public void BadRequestsAreRefused()
    {
        TorchRuntime.EnsureInitialized();
        var small = new Mlp([(5, 3), (3, 2)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpWidening.Widen(small, 1, 6));   // the output layer is not hidden
        Assert.Throws<ArgumentOutOfRangeException>(() => MlpWidening.Widen(small, 0, 2));   // cannot shrink
        Assert.Throws<ArgumentNullException>(() => MlpWidening.Widen(null!, 0, 6));
    }
}
