using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.MultiView;

public class MultiViewTests
{
    [Fact]
    public void NoiseFreeSamplesCarryExactlyTheirViews()
    {
        // Without noise, a multi-view sample has 2 + 2 unit-norm view patches; a single-view one has 2; the rest are zero.
        var options = new MultiViewOptions { Classes = 4, Dimension = 16, Patches = 6, PatchesPerView = 2, FeatureNoise = 0, NoiseStd = 0 };
        var (train, test) = MultiViewData.Generate(options, 400, 10, seed: 3);
        using var _ = train; using var __ = test;
        Assert.Equal(new long[] { 400, 6, 16 }, train.Data.Inputs.shape);
        using var norms = train.Data.Inputs.norm(2, true).squeeze(-1);   // [N, P]
        var n = norms.data<float>().ToArray();
        for (int i = 0; i < 400; i++)
        {
            var patchNorms = n.Skip(i * 6).Take(6).ToArray();
            Assert.Equal(train.MultiView[i] ? 4 : 2, patchNorms.Count(v => Math.Abs(v - 1) < 1e-5));
            Assert.Equal(train.MultiView[i] ? 2 : 4, patchNorms.Count(v => v < 1e-6));
        }
        double singleShare = train.MultiView.Count(m => !m) / 400.0;
        Assert.InRange(singleShare, 0.12, 0.28);   // 0.2 expected; binomial sd 0.02
    }

    [Fact]
    public void SameSeedSameDataAndBadOptionsAreRejected()
    {
        var options = new MultiViewOptions { Classes = 3, Dimension = 12, Patches = 4, PatchesPerView = 1 };
        var (a, _) = MultiViewData.Generate(options, 50, 5, seed: 1);
        var (b, _) = MultiViewData.Generate(options, 50, 5, seed: 1);
        var (c, _) = MultiViewData.Generate(options with { GaussianControl = true }, 50, 5, seed: 1);
        Assert.True(a.Data.Inputs.allclose(b.Data.Inputs, rtol: 0, atol: 0));
        Assert.True(a.Data.Targets.allclose(b.Data.Targets, rtol: 0, atol: 0));
        Assert.All(c.MultiView, m => Assert.False(m));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewData.Generate(options with { Dimension = 5 }, 10, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiViewData.Generate(options with { PatchesPerView = 3 }, 10, 10, 0));
    }

    [Fact]
    public void PatchNetworkMatchesHandComputation()
    {
        // One neuron per class, rho 1, power 3: sReLU(0.5) = 0.5^3 / 3, sReLU(2) = 2 - 2/3, sReLU(-1) = 0.
        var net = new PatchNetwork(dimension: 2, classes: 2, neuronsPerClass: 1, rho: 1.0, power: 3);
        using (no_grad()) net.parameters().Single().copy_(tensor(new float[] { 1, 0, 0, 1 }, [2, 2]));
        using var x = tensor(new float[] { 0.5f, 2f, -1f, 0.5f }, [1, 2, 2]);   // patches (0.5, 2) and (-1, 0.5)
        using var logits = net.forward(x);
        // class 0 sees z = 0.5 and -1; class 1 sees z = 2 and 0.5
        Assert.Equal(0.125 / 3, logits[0, 0].item<float>(), 5);
        Assert.Equal(2 - 2.0 / 3 + 0.125 / 3, logits[0, 1].item<float>(), 5);
        Assert.Contains("[1, 4]", Assert.Throws<ArgumentException>(() => net.forward(zeros(1, 4))).Message);
    }

    [Fact]
    public void SumOfMembersAddsLogits()
    {
        var a = new Mlp([(3, 2)]);
        var b = new Mlp([(3, 2)]);
        var sum = new SumOfMembers([a, b]);
        using var x = randn(4, 3);
        using var expected = a.forward(x) + b.forward(x);
        using var actual = sum.forward(x);
        Assert.True(actual.allclose(expected));
        Assert.Equal(2, sum.Count);
    }
}
