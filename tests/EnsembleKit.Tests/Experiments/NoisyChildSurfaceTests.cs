using EnsembleKit.Analysis;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Notebook 09's noisy-child decision surfaces: the same child, accuracy and surface as built by hand, and the titles.</summary>
public sealed class NoisyChildSurfaceTests
{
    static Mlp Tiny() => new([(2, 8), (8, 2)]);

    [Fact]
    public void EachMutationGivesTheChildNoisySubnetworkMakesWithTheSeedAndItsSurface()
    {
        TorchRuntime.EnsureInitialized();
        using var data = SpiralDataset.Generate(20, 2, seed: 4);
        manual_seed(1);
        using var parent = Tiny();
        var surfaces = NoisyChildSurface.Evaluate(parent, Tiny, data, [(0.0, 0.5), (0.75, 0.5)], resolution: 5, seed: 9);
        Assert.Equal(2, surfaces.Count);
        var box = DecisionSurface.Bounds(data);
        for (int i = 0; i < 2; i++)
        {
            var options = new NoisySubnetworkOptions { Sigma = 0.5, Mask = new MaskOptions { Sparsity = surfaces[i].Sparsity } };
            using var child = NoisySubnetwork.Children(parent, Tiny, options, count: 1, seed: 9)[0];
            Assert.Equal(Predict.Accuracy(child, data) * 100, surfaces[i].Accuracy, 9);
            var expected = DecisionSurface.Evaluate(child, box.X, box.Y, resolution: 5);
            Assert.Equal(expected.Probability.Cast<double>(), surfaces[i].Surface.Probability.Cast<double>());
            Assert.Equal(5, surfaces[i].Surface.X.Count);
        }
        Assert.Equal((0.0, 0.5), (surfaces[0].Sparsity, surfaces[0].Sigma));
        Assert.Equal(0.75, surfaces[1].Sparsity);
    }

    [Fact]
    public void TitlesNameTheMutation()
    {
        var surface = new DecisionSurface([0.0, 1.0], [0.0, 1.0], new double[2, 2], 1);
        Assert.Equal("Child, σ = 0.1, dense mutation: 63.6 %", new NoisyChildSurface(0.0, 0.1, 63.6, surface).Title);
        Assert.Equal($"Child, σ = 0.2, sparsity 0.9 ({0.1:P0} of weights perturbed): 69.2 %", new NoisyChildSurface(0.9, 0.2, 69.23, surface).Title);
    }

    [Fact]
    public void NoMutationIsRefused()
    {
        TorchRuntime.EnsureInitialized();
        using var data = SpiralDataset.Generate(5, 2, seed: 4);
        using var parent = Tiny();
        var error = Assert.Throws<ArgumentException>(() => NoisyChildSurface.Evaluate(parent, Tiny, data, []));
        Assert.Equal("mutations", error.ParamName);
    }
}
