using EnsembleKit.Backend;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Notebook 13's sizes, recipe and data by scale, and the fresh networks SseVersusMotherNets.TrainFresh trains.</summary>
public sealed class MotherNetsSettingsTests
{
    [Fact]
    public void EachScalePicksItsEpochsAndChildrenAndTheWidthsAre16To32From64()
    {
        var cpu = MotherNetsSettings.For(Scale.Parse("cpu"));
        Assert.Equal((10, 4), (cpu.Epochs, cpu.ChildrenPerMethod));
        Assert.Equal((16, 32, 64), (cpu.MotherWidth, cpu.ChildWidth, cpu.ParentWidth));
        Assert.Equal((2, 2), (MotherNetsSettings.For(Scale.Parse("smoke")).Epochs, MotherNetsSettings.For(Scale.Parse("smoke")).ChildrenPerMethod));
        Assert.Equal((10, 8), (MotherNetsSettings.For(Scale.Parse("full")).Epochs, MotherNetsSettings.For(Scale.Parse("full")).ChildrenPerMethod));
        var t = cpu.Training;
        Assert.Equal((10, 128, 0.01, 0.9, 0.0), (t.Epochs, t.BatchSize, t.LearningRate, t.Momentum, t.WeightDecay));
        Assert.Same(ProgressSinks.None, t.Progress);
        Assert.IsType<ConstantSchedule>(cpu.Training.Schedule);
        Assert.Throws<ArgumentException>(() => MotherNetsSettings.For(default));
    }

    [Fact]
    public void AtSmokeTheDataAreTheFirst2000ImagesOfEachSplit()
    {
        var settings = MotherNetsSettings.For(Scale.Parse("smoke"));
        var (train, test) = settings.LoadData();
        using (train)
        using (test)
        {
            Assert.Equal((2_000L, 2_000L), (train.Count, test.Count));
            Assert.Equal("Fashion-MNIST train, first 2,000", train.Name);
            Assert.Equal("Fashion-MNIST test, first 2,000", test.Name);
            using var expected = TestSupport.FashionMnistSubset(train: true, 2_000);
            Assert.True(train.Inputs.eq(expected.Inputs).all().item<bool>());
            Assert.Equal("scale smoke: 2,000 training images, 2 epochs for parents and children, 2 children per method", settings.Summary(train));
        }
    }

    [Fact]
    public void TrainFreshIsTheOneMemberOfItsSeed()
    {
        TorchRuntime.EnsureInitialized();
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, Progress = ProgressSinks.None };
        using var fresh = SseVersusMotherNets.TrainFresh(8, train, options, seed: 3);
        using var expected = DeepEnsemble.TrainMember(() => new Mlp([(784, 8), (8, 10)]), train, options, index: 0, count: 1, seed: 3).Model;
        Assert.Equal(Vector(expected), Vector(fresh));
        Assert.Equal(784 * 8 + 8 + 8 * 10 + 10, ModelRegistry.ParameterCount(fresh));
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusMotherNets.TrainFresh(0, train, options, seed: 3));
    }

    static float[] Vector(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }
}
