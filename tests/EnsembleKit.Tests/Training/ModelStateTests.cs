using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

public class ModelStateTests
{
    static ResNet Small() => new([4, 8], [1, 1], ResNetShortcut.Projection, classCount: 3, imageSize: 8);

    /// <summary>A model whose batch-norm statistics have moved away from their initial values.</summary>
    static ResNet Trained()
    {
        manual_seed(3);
        var model = Small();
        using var inputs = randn(16, 3, 8, 8);
        using (no_grad())
            for (int i = 0; i < 3; i++) model.call(inputs).Dispose();   // train mode: running statistics update
        return model;
    }

    [Fact]
    public void CloneCopiesParametersAndBuffersIntoAnIndependentModel()
    {
        using var source = Trained();
        manual_seed(99);   // the clone's own initialisation differs from the source's
        using var copy = ModelState.Clone(source, Small);
        Assert.NotSame(source, copy);
        var sourceState = source.state_dict();
        var copyState = copy.state_dict();
        Assert.Equal(sourceState.Keys, copyState.Keys);
        Assert.Contains(sourceState.Keys, k => k.EndsWith("running_mean", StringComparison.Ordinal));
        foreach (var (name, value) in sourceState)
            Assert.True(value.allclose(copyState[name], rtol: 0, atol: 0), $"{name} differs");
        Assert.True(copy.training);

        // Independent storage: changing the copy leaves the source as it was.
        var first = copy.parameters().First();
        using var before = source.parameters().First().detach().clone();
        using (no_grad()) first.add_(1.0f);
        Assert.True(source.parameters().First().allclose(before, rtol: 0, atol: 0));

        using var inputs = randn(4, 3, 8, 8);
        source.eval();
        using var evalCopy = ModelState.Clone(source, Small);
        Assert.False(evalCopy.training);
        using var expected = source.call(inputs);
        using var actual = evalCopy.call(inputs);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
    }

    [Fact]
    public void CloneRefusesTheSourceItselfAndAnotherArchitecture()
    {
        using var source = Small();
        var itself = Assert.Throws<ArgumentException>(() => ModelState.Clone(source, () => source));
        Assert.Contains("create() returned the model to copy", itself.Message);
        var other = Assert.Throws<ArgumentException>(() => ModelState.Clone<nn.Module>(source,
            () => new ResNet([4, 16], [1, 1], ResNetShortcut.Projection, classCount: 3, imageSize: 8)));
        Assert.Contains("does not fit the model to copy", other.Message);
        Assert.Contains("[16", other.Message);
    }

    [Fact]
    public void CloneLeavesNoLiveTensors()
    {
        // Building a model leaves TorchSharp's initialisation temporaries to the garbage collector: count only what
        // cloning adds to building.
        using var source = Small();
        long Added(Action action)
        {
            long before = TestSupport.LiveTensorCount();
            for (int i = 0; i < 3; i++) action();
            return Tensor.TotalCount - before;
        }
        Added(() => ModelState.Clone(source, Small).Dispose());
        Assert.Equal(Added(() => Small().Dispose()), Added(() => ModelState.Clone(source, Small).Dispose()));
    }
}
