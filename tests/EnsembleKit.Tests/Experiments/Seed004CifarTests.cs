using EnsembleKit.Experiments;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Experiments;

public sealed class Seed004CifarTests
{
    [Fact]
    public void TheSettingShrinksThePapersNetworkAndDataBelowFull()
    {
        Assert.Equal(new Seed004Cifar("lenet-s", 1_000, 2_000, null), Seed004Cifar.For(Scale.Parse("smoke"), "wrn-28-10"));
        Assert.Equal(new Seed004Cifar("lenet-s", 10_000, 10_000, null), Seed004Cifar.For(Scale.Parse("cpu"), "densenet-100"));
        var full = Seed004Cifar.For(Scale.Parse("full"), "densenet-100");
        Assert.Equal(("densenet-100", 50_000, 10_000), (full.Network, full.TrainImages, full.TestImages));
        Assert.NotNull(full.Augment);
        Assert.Throws<ArgumentException>(() => Seed004Cifar.For(Scale.Parse("cpu"), " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => Seed004Cifar.Load(0, 10));
    }

    [Fact]
    public void TheRecipeIsSgdWithMomentumCosineAndSmallerBatchesAtSmoke()
    {
        var smoke = Seed004Cifar.Sgd(Scale.Parse("smoke"), 0.05);
        Assert.Equal((32, 0.05, 0.9, 5e-4, false), (smoke.BatchSize, smoke.LearningRate, smoke.Momentum, smoke.WeightDecay, smoke.Nesterov));
        Assert.IsType<CosineAnnealingSchedule>(smoke.Schedule);
        Assert.Null(smoke.Augment);
        Assert.Equal(new TrainingOptions().Epochs, smoke.Epochs);
        Assert.Equal(128, Seed004Cifar.Sgd(Scale.Parse("cpu"), 0.05).BatchSize);
        Assert.NotNull(Seed004Cifar.Sgd(Scale.Parse("full"), 0.1).Augment);
        Assert.Throws<ArgumentOutOfRangeException>(() => Seed004Cifar.Sgd(Scale.Parse("cpu"), 0));
    }
}
