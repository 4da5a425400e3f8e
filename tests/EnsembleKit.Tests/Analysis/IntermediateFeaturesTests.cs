using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class IntermediateFeaturesTests
{
    static TensorDataset Images(int count, int channels, int size, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return new TensorDataset(randn(count, channels, size, size, generator: generator),
            randint(0, 3, [count], generator: generator, dtype: ScalarType.Int64), classCount: 3, name: "tiny");
    }

    static Tensor Parameter(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter;

    [Fact]
    public void SmallCnnFeaturesMatchTheConvBlocksRunByHand()
    {
        manual_seed(7);
        using var model = new SmallCnn(classCount: 3, inChannels: 2, imageSize: 8);
        using var data = Images(5, 2, 8, seed: 1);
        model.train();
        // batches of 2 over 5 rows: the last batch is short.
        using var first = IntermediateFeatures.Extract(model, data, upToChild: 1, batchSize: 2);
        using var second = IntermediateFeatures.Extract(model, data, upToChild: 2, batchSize: 2);
        using var scope = NewDisposeScope();
        var block1 = nn.functional.max_pool2d(nn.functional.relu(
            nn.functional.conv2d(data.Inputs, Parameter(model, "conv1.weight"), Parameter(model, "conv1.bias"), padding: [1, 1])), 2);
        var block2 = nn.functional.max_pool2d(nn.functional.relu(
            nn.functional.conv2d(block1, Parameter(model, "conv2.weight"), Parameter(model, "conv2.bias"), padding: [1, 1])), 2);
        Assert.Equal(new long[] { 5, 16, 4, 4 }, first.Inputs.shape);
        Assert.Equal(new long[] { 5, 32, 2, 2 }, second.Inputs.shape);
        Assert.True(first.Inputs.allclose(block1, rtol: 1e-5, atol: 1e-6));
        Assert.True(second.Inputs.allclose(block2, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(data.Targets.data<long>().ToArray(), first.Targets.data<long>().ToArray());
        Assert.Equal(3, first.ClassCount);
        Assert.False(first.Inputs.requires_grad);
        Assert.True(model.training);   // mode restored
        // all three blocks: what forward pools and feeds to fc1.
        using var third = IntermediateFeatures.Extract(model, data, upToChild: 3);
        Assert.Equal(new long[] { 5, 32, 1, 1 }, third.Inputs.shape);
    }

    [Fact]
    public void SequentialPrefixRunsInEvalMode()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Dropout(0.5), nn.Flatten(), nn.Linear(16, 3));
        using var data = Images(4, 2, 4, seed: 2);
        model.train();
        using var features = IntermediateFeatures.Extract(model, data, upToChild: 3);
        using var scope = NewDisposeScope();
        var children = model.children().Cast<nn.Module<Tensor, Tensor>>().ToList();
        var byHand = children[1].forward(children[0].forward(data.Inputs));
        // dropout in eval mode is the identity, so the result is exactly conv -> ReLU.
        Assert.Equal(new long[] { 4, 4, 2, 2 }, features.Inputs.shape);
        Assert.True(features.Inputs.allclose(byHand, rtol: 1e-6, atol: 1e-7));
        Assert.True(model.training);
    }

    [Fact]
    public void BadStagesAndUnsplittableModelsAreRefused()
    {
        using var data = Images(2, 3, 32, seed: 3);
        using var cnn = new SmallCnn(classCount: 3, imageSize: 32);
        var tooDeep = Assert.Throws<ArgumentOutOfRangeException>(() => IntermediateFeatures.Extract(cnn, data, upToChild: 4));
        Assert.Contains("got 4", tooDeep.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IntermediateFeatures.Extract(cnn, data, upToChild: 0));
        Assert.Contains("got 0", Assert.Throws<ArgumentOutOfRangeException>(() => IntermediateFeatures.Extract(cnn, data, 1, batchSize: 0)).Message);
        using var lenet = LeNet.Small(classCount: 3);
        var refused = Assert.Throws<NotSupportedException>(() => IntermediateFeatures.Extract(lenet, data, upToChild: 1));
        Assert.Contains("LeNet", refused.Message);
        // a feature function works for any model, e.g. LeNet's own Features.
        using var viaFunction = IntermediateFeatures.Extract(lenet, lenet.Features, data, batchSize: 1);
        Assert.Equal(new long[] { 2, lenet.Widths.Conv2, 10, 10 }, viaFunction.Inputs.shape);
    }

    [Fact]
    public void ExtractionLeaksNoTensors()
    {
        manual_seed(5);
        using var model = new SmallCnn(classCount: 3, inChannels: 2, imageSize: 8);
        using var data = Images(5, 2, 8, seed: 4);
        void Run() => IntermediateFeatures.Extract(model, data, upToChild: 2, batchSize: 2).Dispose();
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }

    [Fact]
    public void ASmallCnnHeadTrainsOnFeaturesOfAnyChannelCount()
    {
        // E3.4's head: SmallCnn with inChannels = C and imageSize = H of the view (H >= 8).
        manual_seed(1);
        using var cnn = new SmallCnn(classCount: 3, inChannels: 2, imageSize: 16);
        using var images = Images(8, 2, 16, seed: 5);
        using var features = IntermediateFeatures.Extract(cnn, images, upToChild: 1);   // [8, 16, 8, 8]
        using var view = ChannelViews.Average(features, k: 4);                          // [8, 4, 8, 8]
        var options = new TrainingOptions { Epochs = 1, BatchSize = 8, LearningRate = 0.1, Progress = ProgressSinks.None };
        using var heads = DeepEnsemble.Train(() => new SmallCnn(view.ClassCount, inChannels: 4, imageSize: 8), view, options, count: 2);
        using var logits = heads.MemberLogits(view.Inputs);
        Assert.Equal(new long[] { 2, 8, 3 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.Single(heads.Histories[0].Epochs);
        // member 0 starts from seed 0: one SGD step moved its first conv away from that initialisation.
        manual_seed(0);
        using var initial = new SmallCnn(view.ClassCount, inChannels: 4, imageSize: 8);
        Assert.False(Parameter(heads.Members[0], "conv1.weight").allclose(Parameter(initial, "conv1.weight")));
        Assert.Equal(Parameter(initial, "conv1.weight").shape, Parameter(heads.Members[0], "conv1.weight").shape);
    }
}
