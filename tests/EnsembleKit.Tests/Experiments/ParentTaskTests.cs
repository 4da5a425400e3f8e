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

    [Fact]
    public void SplitTestHoldsOutSeededRowsForValidationAndTakesTheFirstOfTheRestForTest()
    {
        TorchRuntime.EnsureInitialized();
        using var data = new TensorDataset(arange(10, dtype: float32).reshape(10, 1), arange(10, dtype: int64), 10, "ten rows");
        var task = new ParentTask("tiny", data, data, Tiny, new TrainingOptions(), ["unused"]);
        var (validation, test) = task.SplitTest(3, seed: 7);
        using (validation)
        using (test)
        {
            var (remainder, heldOut) = data.Split(3, seed: 7);
            using (remainder)
            using (heldOut)
            {
                Assert.Equal(heldOut.Targets.data<long>().ToArray(), validation.Targets.data<long>().ToArray());
                Assert.Equal(remainder.Targets.data<long>().ToArray().Take(3), test.Targets.data<long>().ToArray());
            }
            Assert.Equal(3, validation.Count);
            Assert.Equal(3, test.Count);
            Assert.Empty(validation.Targets.data<long>().ToArray().Intersect(test.Targets.data<long>().ToArray()));
            Assert.Equal("validation half", validation.Name);
            Assert.Equal("test half", test.Name);
        }
        Assert.Equal(10, task.Test.Count);   // the task's test set is left as it is
        Assert.Throws<ArgumentOutOfRangeException>(() => task.SplitTest(6, seed: 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.SplitTest(0, seed: 7));
    }

    static float[] ParameterVectorOf(nn.Module<Tensor, Tensor> model)
    {
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }
}
