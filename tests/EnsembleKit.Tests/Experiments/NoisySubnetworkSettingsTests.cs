using EnsembleKit.Experiments;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Notebook 09's sizes by scale: the values the notebook had inline, the two searches and the summary line.</summary>
public sealed class NoisySubnetworkSettingsTests
{
    [Fact]
    public void AtCpuTheSpiralGridIsSevenSigmasByFiveSparsitiesWithEightDraws()
    {
        var settings = NoisySubnetworkSettings.For(Scale.Parse("cpu"));
        Assert.Equal([0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25], settings.SpiralSigmas);
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 0.9], settings.SpiralSparsities);
        Assert.Equal(8, settings.Draws);
        Assert.Equal(10, settings.SpiralEpochs);
        Assert.Equal("784-512-10 MLP on Fashion-MNIST", settings.ImageTask);
        Assert.Equal(5_000, settings.ImageHeldOut);
        Assert.Equal([0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.06], settings.ImageSigmas);
        Assert.Equal(4, settings.ImageDraws);
        Assert.Equal([0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2], settings.VoteSigmas);
        Assert.Equal(0.02, settings.Bound);
        Assert.Equal("scale cpu: spiral grid 7 sigmas x 5 sparsities x 8 draws; image task: 784-512-10 MLP on Fashion-MNIST", settings.Summary);
    }

    [Fact]
    public void SmokeAndFullPickTheirOwnSizes()
    {
        var smoke = NoisySubnetworkSettings.For(Scale.Parse("smoke"));
        Assert.Equal([0.05, 0.1, 0.2], smoke.SpiralSigmas);
        Assert.Equal([0.0, 0.5, 0.9], smoke.SpiralSparsities);
        Assert.Equal((2, 3, 1_000, 2), (smoke.Draws, smoke.SpiralEpochs, smoke.ImageHeldOut, smoke.ImageDraws));
        Assert.Equal([0.02, 0.1], smoke.VoteSigmas);
        var full = NoisySubnetworkSettings.For(Scale.Parse("full"));
        Assert.Equal(16, full.Draws);
        Assert.Equal("WRN-28-10 on CIFAR-10", full.ImageTask);
        Assert.Equal([0.0005, 0.001, 0.002, 0.004, 0.006, 0.008, 0.01], full.ImageSigmas);
        Assert.Equal([0.002, 0.005, 0.01, 0.02, 0.03, 0.05], full.VoteSigmas);
        Assert.Equal(10, full.SpiralEpochs);
    }

    [Fact]
    public void TheSearchesCarryTheGridDrawsBoundAndSeed()
    {
        var settings = NoisySubnetworkSettings.For(Scale.Parse("cpu"));
        var spiral = settings.SpiralSearch(seed: 11);
        Assert.Equal(settings.SpiralSigmas, spiral.Strengths);
        Assert.Equal(settings.SpiralSparsities, spiral.Sparsities);
        Assert.Equal((8, 0.02, 11L), (spiral.Draws, spiral.Bound, spiral.Seed));
        var image = settings.ImageSearch(seed: 21);
        Assert.Equal(settings.ImageSigmas, image.Strengths);
        Assert.Equal([0.5], image.Sparsities);
        Assert.Equal((4, 0.02, 21L), (image.Draws, image.Bound, image.Seed));
        Assert.Equal(new EnsembleKit.Subnetworks.TrustRegionOptions().BatchSize, image.BatchSize);
    }

    [Fact]
    public void TheImageParentBelowFullIsSeed000sMlpInTheFolderOfNotebooks01To03()
    {
        var task = NoisySubnetworkSettings.For(Scale.Parse("smoke")).ImageParent();
        Assert.Equal("784-512-10 MLP on Fashion-MNIST", task.Name);
        Assert.Equal(["fmnist-mlp", "2000-images-2-epochs"], task.RunFolder);
        Assert.Equal(2_000, task.Train.Count);
        Assert.Equal(10_000, task.Test.Count);
        task.Train.Dispose();
        task.Test.Dispose();
    }

    [Fact]
    public void ADefaultScaleIsRefused() =>
        Assert.Throws<ArgumentException>(() => NoisySubnetworkSettings.For(default));
}
