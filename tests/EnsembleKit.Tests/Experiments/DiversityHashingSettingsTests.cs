using EnsembleKit.Experiments;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Notebook 12's sizes by scale: the values the notebook had inline and the summary line.</summary>
public sealed class DiversityHashingSettingsTests
{
    [Fact]
    public void AtCpuLeNetSOnTenThousandImagesWithSixChildrenASet()
    {
        var s = DiversityHashingSettings.For(Scale.Parse("cpu"));
        Assert.Equal("lenet-s", s.Architecture);
        Assert.Equal((10_000, 2_000, 10, 3), (s.TrainImages, s.TestImages, s.ParentEpochs, s.SiblingEpochs));
        Assert.Equal((1_000, 16, 256, 6), (s.SaliencyImages, s.NoiseSamples, s.VisualisationSteps, s.CorrelationChildren));
        Assert.Equal("scale cpu: lenet-s, 10,000 training images, parent 10 epochs, siblings 3 each; "
            + "saliency 1,000 images x 16 samples; feature visualisation 256 steps", s.Summary);
    }

    [Fact]
    public void SmokeAndFullPickTheirOwnSizes()
    {
        var smoke = DiversityHashingSettings.For(Scale.Parse("smoke"));
        Assert.Equal(("lenet-s", 1_000, 500, 2, 1), (smoke.Architecture, smoke.TrainImages, smoke.TestImages, smoke.ParentEpochs, smoke.SiblingEpochs));
        Assert.Equal((50, 4, 20, 2), (smoke.SaliencyImages, smoke.NoiseSamples, smoke.VisualisationSteps, smoke.CorrelationChildren));
        var full = DiversityHashingSettings.For(Scale.Parse("full"));
        Assert.Equal(("lenet-l", 50_000, 10_000, 40, 20), (full.Architecture, full.TrainImages, full.TestImages, full.ParentEpochs, full.SiblingEpochs));
        Assert.Equal((10_000, 50, 1_024, 6), (full.SaliencyImages, full.NoiseSamples, full.VisualisationSteps, full.CorrelationChildren));
    }

    [Fact]
    public void ADefaultScaleIsRefused() =>
        Assert.Throws<ArgumentException>(() => DiversityHashingSettings.For(default));
}
