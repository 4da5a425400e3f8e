using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class ParentTaskTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static Mlp Tiny() => new([(784, 8), (8, 10)]);

    [Fact]
    public void AFashionMnistTaskTakesTheFirstImagesAndNamesItsCacheAfterTheRecipe()
    {
        var task = ParentTask.FashionMnistMlp("tiny MLP", Tiny, trainImages: 300, epochs: 2, runFolder: "fmnist-tiny", testImages: 200);
        using var expectedTrain = TestSupport.FashionMnistSubset(train: true, 300);
        using var expectedTest = TestSupport.FashionMnistSubset(train: false, 200);
        Assert.Equal("tiny MLP", task.Name);
        Assert.Equal("Fashion-MNIST train, first 300", task.Train.Name);
        Assert.Equal("Fashion-MNIST test, first 200", task.Test.Name);
        Assert.Equal(expectedTrain.Inputs.shape, task.Train.Inputs.shape);
        Assert.True(task.Train.Inputs.eq(expectedTrain.Inputs).all().item<bool>());
        Assert.True(task.Test.Targets.eq(expectedTest.Targets).all().item<bool>());
        Assert.Equal(["fmnist-tiny", "300-images-2-epochs"], task.RunFolder);
        // Seed 000's recipe: TrainingOptions' defaults with the epochs given.
        Assert.Equal(new TrainingOptions { Epochs = 2 }, task.Options);
        task.Train.Dispose();
        task.Test.Dispose();
    }

    [Fact]
    public void AskedForMoreImagesThanTheSplitHoldsItKeepsTheWholeSplit()
    {
        var task = ParentTask.FashionMnistMlp("tiny MLP", Tiny, trainImages: 60_000, epochs: 1, runFolder: "fmnist-tiny");
        Assert.Equal(60_000, task.Train.Count);
        Assert.Equal(10_000, task.Test.Count);
        Assert.Equal("Fashion-MNIST train", task.Train.Name);
        Assert.Equal("Fashion-MNIST test", task.Test.Name);
        task.Train.Dispose();
        task.Test.Dispose();
    }

    [Fact]
    public void TheParentIsTheOneMemberDeepEnsembleTrainsAndASecondCallLoadsItsCheckpoint()
    {
        TorchRuntime.EnsureInitialized();
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 64, Progress = ProgressSinks.None };
        var task = new ParentTask("tiny MLP", train, train, Tiny, options, [_temp.Path, "parent"]);

        using var parent = task.TrainParent(seed: 3);
        using var expected = DeepEnsemble.Train(Tiny, train, options, count: 1, seed: 3).Members[0];
        Assert.Equal(ParameterVectorOf(expected), ParameterVectorOf(parent));
        Assert.True(File.Exists(Path.Combine(_temp.Path, "parent", "seed.member0")), "the checkpoint is written under RunFolder");

        using var again = task.TrainParent(seed: 3);
        Assert.Equal(ParameterVectorOf(parent), ParameterVectorOf(again));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ParentTask.FashionMnistMlp(" ", Tiny, 100, 1, "f"));
        Assert.Throws<ArgumentNullException>(() => ParentTask.FashionMnistMlp("t", null!, 100, 1, "f"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParentTask.FashionMnistMlp("t", Tiny, 0, 1, "f"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParentTask.FashionMnistMlp("t", Tiny, 100, 0, "f"));
        Assert.Throws<ArgumentException>(() => ParentTask.FashionMnistMlp("t", Tiny, 100, 1, ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParentTask.FashionMnistMlp("t", Tiny, 100, 1, "f", testImages: 0));
    }

    static float[] ParameterVectorOf(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }
}
