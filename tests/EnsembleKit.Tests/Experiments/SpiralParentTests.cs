using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Experiments;

/// <summary>Seed 002's spiral task: its three splits, the 2-64-64-64-2 parent and the accuracy it reports.</summary>
public sealed class SpiralParentTests
{
    [Fact]
    public void FitGeneratesTheThreeSplitsAndScoresTheParentOnTheTestPoints()
    {
        TorchRuntime.EnsureInitialized();
        var spiral = SpiralParent.Fit(epochs: 1);
        using var expectedTest = SpiralDataset.Generate(125, 2, noise: 0.05, seed: 3, name: "spiral test");
        Assert.Equal((2_500L, 250L, 250L), (spiral.Train.Count, spiral.Validation.Count, spiral.Test.Count));
        Assert.Equal(("spiral train", "spiral validation", "spiral test"), (spiral.Train.Name, spiral.Validation.Name, spiral.Test.Name));
        Assert.True(spiral.Test.Inputs.eq(expectedTest.Inputs).all().item<bool>());
        Assert.Equal(Predict.Accuracy(spiral.Parent, spiral.Test) * 100, spiral.TestAccuracy, 9);
        Assert.Single(spiral.History.Epochs);
        Assert.StartsWith("spiral parent: 8,642 parameters, trained in ", spiral.Summary);
        Assert.EndsWith($"test accuracy {spiral.TestAccuracy:F1} %", spiral.Summary);
        spiral.Parent.Dispose();
        foreach (var d in new[] { spiral.Train, spiral.Validation, spiral.Test }) d.Dispose();
    }

    [Fact]
    public void TheModelIsA2By64By64By64By2MlpWith8642Parameters()
    {
        TorchRuntime.EnsureInitialized();
        using var model = SpiralParent.CreateModel();
        Assert.Equal(2 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 2 + 2, ModelRegistry.ParameterCount(model));
    }

    [Fact]
    public void NoEpochsIsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => SpiralParent.Fit(0));
}
