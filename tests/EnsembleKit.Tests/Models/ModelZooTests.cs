using System.Diagnostics;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class ModelZooTests
{
    /// <summary>Architectures small enough for a forward and backward pass on two images in a unit test.</summary>
    public static IEnumerable<object[]> TrainableInTests() =>
        new[] { "lenet-s", "lenet-m", "lenet-l", "small-cnn", "medium-cnn", "resnet20", "resnet56", "resnet18", "wrn-16-4" }
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(TrainableInTests))]
    public void ForwardAndBackwardOnTwoImagesReachEveryParameter(string name)
    {
        manual_seed(1);
        using var model = ModelRegistry.Create(name, 10);
        AssertTrainsEveryParameter(name, model);
    }

    /// <summary>DenseNet code paths (plain and bottleneck layers, compressed transitions) on shallow configurations;
    /// the published DenseNets are too slow for a unit test's backward pass.</summary>
    [Fact]
    public void ShallowDenseNetsTrainEveryParameter()
    {
        manual_seed(1);
        using (var bc = new DenseNet(new DenseNetConfig(12, [2, 2, 2], true, 0.5, 24)))
            AssertTrainsEveryParameter("DenseNet-BC [2,2,2]", bc);
        using (var plain = new DenseNet(new DenseNetConfig(12, [3, 3, 3], false, 1.0, 16), dropoutRate: 0.2))
            AssertTrainsEveryParameter("DenseNet [3,3,3]", plain);
    }

    static void AssertTrainsEveryParameter(string name, nn.Module<Tensor, Tensor> model)
    {
        model.train();
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 32, 32);
        var logits = model.forward(x);
        Assert.Equal(new long[] { 2, 10 }, logits.shape);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        Assert.True(logits.isfinite().all().item<bool>(), $"{name}: non-finite logits");
        nn.functional.cross_entropy(logits, tensor(new long[] { 3, 7 })).backward();
        foreach (var (pname, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, $"{name}: {pname} got no gradient");
            Assert.True(p.grad!.isfinite().all().item<bool>(), $"{name}: {pname} has a non-finite gradient");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name}: {pname} has an all-zero gradient");
        }
    }

    /// <summary>The big nets get one eval-mode forward on a single image (each well under 3 s on 2 quiet cores);
    /// DenseNet-100 (k = 24, 27.2M) takes longer and is checked by its parameter count only.</summary>
    [Theory]
    [InlineData("wrn-28-10")]
    [InlineData("vgg16-bn")]
    [InlineData("densenet-121")]
    public void BigNetsForwardOneImage(string name)
    {
        manual_seed(2);
        using var model = ModelRegistry.Create(name, 100);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var clock = Stopwatch.StartNew();
        var logits = model.forward(randn(1, 3, 32, 32));
        Assert.Equal(new long[] { 1, 100 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"{name}: one image took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [InlineData("lenet-s")]
    [InlineData("small-cnn")]
    [InlineData("medium-cnn")]
    [InlineData("resnet20")]
    [InlineData("wrn-16-2")]
    [InlineData("densenet-bc-100")]
    public void MnistShapedInputsGiveClassLogits(string name)
    {
        manual_seed(3);
        using var model = ModelRegistry.Create(name, 10, ModelOptions.Mnist);
        var classifier = Assert.IsAssignableFrom<IImageClassifier>(model);
        Assert.Equal((1, 28, 10), (classifier.InChannels, classifier.ImageSize, classifier.ClassCount));
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.Equal(new long[] { 3, 10 }, model.forward(randn(3, 1, 28, 28)).shape);
    }

    [Theory]
    [InlineData("lenet-m")]
    [InlineData("resnet20")]
    [InlineData("wrn-16-4")]
    [InlineData("densenet-40")]
    public void SameSeedSameWeightsOtherSeedOtherWeights(string name)
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        using var a = ModelRegistry.Create(name, 10);
        manual_seed(42);
        using var b = ModelRegistry.Create(name, 10);
        manual_seed(43);
        using var c = ModelRegistry.Create(name, 10);
        var sa = a.state_dict();
        var sb = b.state_dict();
        var sc = c.state_dict();
        Assert.Equal(sa.Keys, sb.Keys);
        foreach (var key in sa.Keys) Assert.True(sa[key].allclose(sb[key], rtol: 0, atol: 0), $"{name}: {key} differs under the same seed");
        Assert.Contains(sa.Keys, key => key.EndsWith("weight") && sa[key].dim() > 1 && !sa[key].allclose(sc[key], rtol: 0, atol: 0));
        a.eval();
        b.eval();
        using var _ = no_grad();
        var x = randn(2, 3, 32, 32);
        Assert.True(a.forward(x).allclose(b.forward(x), rtol: 0, atol: 0));
    }

    /// <summary>The names a permutation spec will refer to, generated here from the documented pattern.</summary>
    [Fact]
    public void CifarResNetParameterNamesFollowTheDocumentedPattern()
    {
        manual_seed(0);
        using var model = ResNet.Cifar(20);
        var expected = new List<string> { "stem.conv.weight", "stem.bn.weight", "stem.bn.bias" };
        for (int s = 0; s < 3; s++)
            for (int b = 0; b < 3; b++)
                foreach (var layer in new[] { "conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias" })
                    expected.Add($"stages.{s}.blocks.{b}.{layer}");
        expected.Add("classifier.weight");
        expected.Add("classifier.bias");
        Assert.Equal(expected, model.named_parameters().Select(p => p.name).ToList());
        var buffers = model.named_buffers().Select(p => p.name).ToHashSet();
        Assert.Contains("stages.1.blocks.0.bn1.running_mean", buffers);
        Assert.Contains("stem.bn.running_var", buffers);
    }

    [Fact]
    public void OtherArchitecturesExposeTheDocumentedNamesAndShapes()
    {
        manual_seed(0);
        void Check(nn.Module<Tensor, Tensor> model, params (string Name, long[] Shape)[] expected)
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
            foreach (var (name, shape) in expected)
            {
                Assert.True(parameters.ContainsKey(name), $"{model}: no parameter {name}; it has {string.Join(", ", parameters.Keys.Take(8))}, ...");
                Assert.Equal(shape, parameters[name]);
            }
        }
        using (var m = ModelRegistry.Create("lenet-s"))
            Check(m, ("conv1.weight", [16, 3, 5, 5]), ("conv2.weight", [32, 16, 5, 5]), ("fc1.weight", [256, 800]), ("fc2.weight", [128, 256]), ("classifier.weight", [10, 128]));
        using (var m = ModelRegistry.Create("small-cnn"))
            Check(m, ("conv3.weight", [32, 32, 3, 3]), ("fc1.weight", [32, 32]), ("classifier.bias", [10]));
        using (var m = ModelRegistry.Create("medium-cnn"))
            Check(m, ("conv4.weight", [128, 128, 3, 3]), ("fc1.weight", [32, 128]), ("classifier.weight", [10, 32]));
        using (var m = ModelRegistry.Create("resnet18"))
            Check(m, ("stem.conv.weight", [64, 3, 3, 3]), ("stages.1.blocks.0.shortcut.conv.weight", [128, 64, 1, 1]),
                ("stages.1.blocks.0.shortcut.bn.weight", [128]), ("stages.3.blocks.1.conv2.weight", [512, 512, 3, 3]), ("classifier.weight", [10, 512]));
        using (var m = ModelRegistry.Create("wrn-16-4"))
            Check(m, ("stem.weight", [16, 3, 3, 3]), ("stages.0.blocks.0.bn1.weight", [16]), ("stages.0.blocks.0.shortcut.weight", [64, 16, 1, 1]),
                ("stages.2.blocks.1.conv2.weight", [256, 256, 3, 3]), ("bn.weight", [256]), ("classifier.weight", [10, 256]));
        using (var m = ModelRegistry.Create("vgg16-bn"))
            Check(m, ("layers.0.conv.weight", [64, 3, 3, 3]), ("layers.12.conv.weight", [512, 512, 3, 3]), ("layers.12.bn.weight", [512]),
                ("fc1.weight", [512, 512]), ("fc2.weight", [512, 512]), ("classifier.weight", [10, 512]));
        using (var m = ModelRegistry.Create("densenet-bc-100"))
            Check(m, ("stem.conv.weight", [24, 3, 3, 3]), ("stages.0.layers.1.bn1.weight", [36]), ("stages.0.layers.1.conv1.weight", [48, 36, 1, 1]),
                ("stages.0.layers.1.conv2.weight", [12, 48, 3, 3]), ("transitions.0.conv.weight", [108, 216, 1, 1]), ("bn.weight", [342]), ("classifier.weight", [10, 342]));
        using (var m = ModelRegistry.Create("densenet-40"))
            Check(m, ("stages.2.layers.11.conv1.weight", [12, 16 + 35 * 12, 3, 3]), ("transitions.1.conv.weight", [304, 304, 1, 1]));
    }

    /// <summary>He et al.'s option A, checked on one stride-2 block whose convolutions are zeroed: the residual branch
    /// is then bn2(0) = 0, so the block returns relu(shortcut(x)) = relu of every second pixel, padded with 8 zero
    /// channels in front and 8 behind.</summary>
    [Fact]
    public void ZeroPaddingShortcutSubsamplesAndCentresTheChannels()
    {
        manual_seed(5);
        using var block = new BasicBlock(16, 32, 2, ResNetShortcut.ZeroPad);
        using (no_grad())
            foreach (var (name, p) in block.named_parameters())
                if (name.StartsWith("conv")) p.zero_();
        block.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 16, 6, 6);
        var y = block.forward(x);
        Assert.Equal(new long[] { 2, 32, 3, 3 }, y.shape);
        var expected = x.index_select(2, tensor(new long[] { 0, 2, 4 })).index_select(3, tensor(new long[] { 0, 2, 4 })).relu();
        Assert.True(y.narrow(1, 8, 16).allclose(expected, rtol: 0, atol: 0));
        Assert.Equal(0f, y.narrow(1, 0, 8).abs().sum().item<float>());
        Assert.Equal(0f, y.narrow(1, 24, 8).abs().sum().item<float>());
    }

    /// <summary>In eval mode batch norm uses running statistics: a sample's logits do not depend on the rest of the
    /// batch and a forward pass leaves the statistics alone; in train mode both change.</summary>
    [Theory]
    [InlineData("resnet20")]
    [InlineData("wrn-16-2")]
    [InlineData("densenet-bc-[2,2,2]")]
    [InlineData("vgg16-bn")]
    public void EvalModeUsesRunningStatistics(string name)
    {
        manual_seed(6);
        using var model = name == "densenet-bc-[2,2,2]" ? new DenseNet(new DenseNetConfig(12, [2, 2, 2], true, 0.5, 24)) : ModelRegistry.Create(name, 10);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = randn(4, 3, 32, 32);
        var mean = model.named_buffers().First(b => b.name.EndsWith("running_mean"));
        var before = mean.buffer.clone();

        model.train();
        model.forward(batch);
        Assert.False(mean.buffer.allclose(before), $"{name}: train mode did not update {mean.name}");
        var trainedMean = mean.buffer.clone();

        model.eval();
        var whole = model.forward(batch);
        var alone = model.forward(batch.narrow(0, 0, 1));
        Assert.True(whole.narrow(0, 0, 1).allclose(alone, rtol: 1e-4, atol: 1e-5), $"{name}: eval logits depend on the batch");
        Assert.True(mean.buffer.allclose(trainedMean, rtol: 0, atol: 0), $"{name}: eval mode changed {mean.name}");

        model.train();
        var trainWhole = model.forward(batch);
        var trainAlone = model.forward(batch.narrow(0, 0, 2));
        Assert.False(trainWhole.narrow(0, 0, 2).allclose(trainAlone, rtol: 1e-4, atol: 1e-5), $"{name}: train-mode logits ignore the batch");
    }

    [Fact]
    public void DropoutIsActiveInTrainingAndOffInEval()
    {
        manual_seed(7);
        using var model = ModelRegistry.Create("lenet-s", 10, new ModelOptions { DropoutRate = 0.5 });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 3, 32, 32);
        model.train();
        Assert.False(model.forward(x).allclose(model.forward(x)));
        model.eval();
        Assert.True(model.forward(x).allclose(model.forward(x), rtol: 0, atol: 0));
    }
}
