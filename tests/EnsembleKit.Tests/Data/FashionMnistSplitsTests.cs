using EnsembleKit.Data;

namespace EnsembleKit.Tests.Data;

public sealed class FashionMnistSplitsTests
{
    [Fact]
    public void TheFirstImagesOfTrainingAndTheWholeTestSplit()
    {
        var (train, test) = FashionMnist.LoadSplits(1_500);
        using var expected = TestSupport.FashionMnistSubset(train: true, 1_500);
        Assert.Equal("Fashion-MNIST train, first 1,500", train.Name);
        Assert.Equal(1_500, train.Count);
        Assert.True(expected.Inputs.eq(train.Inputs).all().item<bool>());
        Assert.True(expected.Targets.eq(train.Targets).all().item<bool>());
        Assert.Equal(10_000, test.Count);
        Assert.Equal("Fashion-MNIST test", test.Name);
        train.Dispose();
        test.Dispose();
    }

    [Fact]
    public void AllOfTrainingWhenAskedForAsManyOrMore()
    {
        var (train, test) = FashionMnist.LoadSplits(60_000);
        Assert.Equal(60_000, train.Count);
        Assert.Equal("Fashion-MNIST train", train.Name);
        train.Dispose();
        test.Dispose();
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.LoadSplits(0));
    }
}
