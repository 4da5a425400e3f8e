using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class ModelRegistryTests
{
    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet-twenty"));
        Assert.Contains("'resnet-twenty'", e.Message);
        foreach (var name in new[] { "lenet-s", "resnet20", "wrn-28-10", "densenet-bc-100", "vgg16-bn", "small-cnn" })
            Assert.Contains(name, e.Message);
        Assert.Throws<ArgumentException>(() => ModelRegistry.Factory("nope"));
    }

    [Fact]
    public void PatternsAcceptValidDepthsOnly()
    {
        Assert.True(ModelRegistry.IsKnown("resnet8"));
        Assert.True(ModelRegistry.IsKnown("ResNet1202"));
        Assert.True(ModelRegistry.IsKnown("wrn-22-8"));
        Assert.False(ModelRegistry.IsKnown("resnet21"));
        Assert.False(ModelRegistry.IsKnown("wrn-27-10"));
        Assert.False(ModelRegistry.IsKnown("wrn-28-0"));
        manual_seed(0);
        using var resnet8 = ModelRegistry.Create("resnet8");
        Assert.Equal("ResNet-8 (widths 16/32/64, ZeroPad shortcuts, Cifar stem) 3x32x32 -> 10", resnet8.ToString());
    }

    [Fact]
    public void NamesAreUniqueAndEveryEntryHasAPublishedCountAndSource()
    {
        Assert.Equal(ModelRegistry.Names.Count, ModelRegistry.Names.Distinct().Count());
        Assert.All(ModelRegistry.Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.PublishedParameters));
            Assert.False(string.IsNullOrWhiteSpace(e.Source));
            Assert.True(ModelRegistry.IsKnown(e.Name));
        });
    }

    [Fact]
    public void FactoryMakesFreshModelsFromTheGlobalGenerator()
    {
        var factory = ModelRegistry.Factory("small-cnn", 100);
        manual_seed(9);
        using var a = factory();
        manual_seed(9);
        using var b = factory();
        using var c = factory();
        Assert.NotSame(a, b);
        var (wa, wb, wc) = (a.named_parameters().First().parameter, b.named_parameters().First().parameter, c.named_parameters().First().parameter);
        Assert.True(wa.allclose(wb, rtol: 0, atol: 0));
        Assert.False(wa.allclose(wc));
        Assert.Equal(100, ((IImageClassifier)a).ClassCount);
    }

    [Fact]
    public void BadArgumentsNameTheValue()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("resnet20", 10, new ModelOptions { DropoutRate = 0.3 }));
        Assert.Contains("resnet20 has no dropout", e.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => ModelRegistry.Create("lenet-s", 1));
        Assert.Contains("got 1", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => ModelRegistry.Create("vgg16-bn", 10, ModelOptions.Mnist));
        Assert.Contains("got 28", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => ModelRegistry.Create("lenet-s", 10, new ModelOptions { ImageSize = 10 }));
        Assert.Contains("10x10", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => ResNet.Cifar(21));
        Assert.Contains("got 21", range.Message);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => new WideResNet(27, 10));
        Assert.Contains("got 27", range.Message);
        Assert.Throws<ArgumentException>(() => new Vgg(16, head: VggHead.Linear, dropoutRate: 0.5));
    }

    [Fact]
    public void WrongInputShapeIsNamed()
    {
        manual_seed(0);
        using var model = ModelRegistry.Create("resnet20");
        using var flat = randn(4, 784);
        var e = Assert.Throws<ArgumentException>(() => model.forward(flat));
        Assert.Contains("[B, 3, 32, 32]", e.Message);
        Assert.Contains("[4, 784]", e.Message);
        using var gray = randn(4, 1, 28, 28);
        e = Assert.Throws<ArgumentException>(() => ModelRegistry.Create("lenet-l").forward(gray));
        Assert.Contains("[4, 1, 28, 28]", e.Message);
    }
}
