using EnsembleKit.Analysis;
using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public sealed class SiblingHashDistancesTests
{
    static (Tensor A, Tensor B) Images()
    {
        TorchRuntime.EnsureInitialized();
        using var generator = new Generator(5);
        return (rand([6, 3, 16, 16], generator: generator), rand([6, 3, 16, 16], generator: generator));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EachKindIsHashDiversityBetweenAndTheRmseIsMapRmse(bool minMaxNormalise)
    {
        var (a, b) = Images();
        HashKind[] kinds = [HashKind.Perceptual, HashKind.Average, HashKind.Color];
        var pair = SiblingHashDistances.Of("pair", a, b, kinds, minMaxNormalise);
        Assert.Equal("pair", pair.Pair);
        Assert.Equal(kinds, pair.Summaries.Select(s => s.Kind));
        foreach (var kind in kinds)
        {
            var expected = HashDiversity.Between(a, b, kind, minMaxNormalise);
            Assert.Equal(expected.Distances, pair.For(kind).Distances);
            Assert.Equal(expected.Mean, pair.For(kind).Mean);
        }
        Assert.Equal(HashDiversity.MapRmse(a, b), pair.Rmse);
        Assert.Equal(kinds.Average(k => pair.For(k).Mean), pair.MeanOverKinds, 12);
    }

    [Fact]
    public void IdenticalSiblingsAreZeroApart()
    {
        var (a, _) = Images();
        var pair = SiblingHashDistances.Of("twins", a, a.clone(), [HashKind.Difference, HashKind.Wavelet]);
        Assert.All(pair.Summaries, s => Assert.All(s.Distances, d => Assert.Equal(0, d)));
        Assert.Equal(0.0, pair.Rmse);
        Assert.Equal(0.0, pair.MeanOverKinds);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        var (a, b) = Images();
        Assert.Throws<ArgumentException>(() => SiblingHashDistances.Of(" ", a, b, [HashKind.Average]));
        Assert.Throws<ArgumentException>(() => SiblingHashDistances.Of("p", a, b, []));
        Assert.Throws<ArgumentNullException>(() => SiblingHashDistances.Of("p", null!, b, [HashKind.Average]));
        Assert.ThrowsAny<ArgumentException>(() => SiblingHashDistances.Of("p", a, b.narrow(0, 0, 5), [HashKind.Average]));
        var pair = SiblingHashDistances.Of("p", a, b, [HashKind.Average]);
        var missing = Assert.Throws<ArgumentException>(() => pair.For(HashKind.Color));
        Assert.Contains("Average", missing.Message);
    }
}
