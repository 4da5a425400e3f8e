using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>Settings become the same one-line text in every process and culture.</summary>
public class SettingTextTests
{
    [Fact]
    public void SchedulesAndTransformsAreDescribedByTheirSettings()
    {
        Assert.Equal("ConstantSchedule", SettingText.Describe(new ConstantSchedule()));
        Assert.Equal("StepDecaySchedule(Factor = 0.1, Milestones = [0.5, 0.75])", SettingText.Describe(new StepDecaySchedule(0.1, 0.5, 0.75)));
        Assert.Equal("RandomCrop(padding 4) -> RandomHorizontalFlip(p 0.5)", SettingText.Describe(BatchTransforms.Compose(new RandomCrop(4), new RandomHorizontalFlip(0.5))));
        Assert.Equal("none", SettingText.Describe(null));
    }

    [Fact]
    public void NumbersDoNotDependOnTheCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("CosineAnnealingSchedule(MinimumRate = 0.001)", SettingText.Describe(new CosineAnnealingSchedule(0.001)));
            Assert.Equal("Normalize(mean [0.5], std [0.25])", SettingText.Describe(new Normalize([0.5f], [0.25f])));
            Assert.Equal("1E-05", SettingText.Number(1e-5));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void LossesAreNamedWithTheSettingsTheyCapture()
    {
        Assert.Equal("Losses.CrossEntropy", SettingText.Loss(Losses.CrossEntropy));
        using var data = new TensorDataset(zeros(4, 2), zeros(4, ScalarType.Int64), 3);
        using var model = nn.Linear(2, 3);
        using var teacher = TeacherOutputs.Compute(model, data);
        var loss = SettingText.Loss(teacher.Loss(new DistillationOptions { Temperature = 4 }));
        Assert.Equal("lambda in TeacherOutputs (options = DistillationOptions(Alpha = 0.5, Temperature = 4, UseTemperatureSquared = true))", loss);
    }

    [Fact]
    public void OnlyCallbacksThatChangeTrainingAreRecorded()
    {
        using var data = new TensorDataset(zeros(2, 2), zeros(2, ScalarType.Int64), 2);
        Assert.Equal("none", SettingText.Callbacks([new EpochEvaluation(data), new SnapshotCallback((_, _) => true)]));
        Assert.Equal("EpochCounter", SettingText.Callbacks([new EpochEvaluation(data), new CheckpointFixtures.EpochCounter(changesTraining: true)]));
    }
}
