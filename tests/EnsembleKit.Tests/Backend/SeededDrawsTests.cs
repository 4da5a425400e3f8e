using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Backend;

/// <summary>
/// The kit's seeded draws are made on the CPU and copied to the device; on the CPU they must be exactly the draws the
/// kit made before (libtorch's own calls with the same generator), so no committed number moves.
/// </summary>
public class SeededDrawsTests
{
    [Fact]
    public void OnTheCpuEachDrawIsLibtorchsOwnWithTheSameGenerator()
    {
        using var scope = NewDisposeScope();
        using (Generator a = new(7), b = new(7))
        {
            Assert.True(SeededDraws.Permutation(1000, a, CPU).equal(randperm(1000, generator: b)).all().item<bool>());
            Assert.True(SeededDraws.Bernoulli([4, 50], 0.3, ScalarType.Float32, CPU, a).equal(empty(4, 50).bernoulli_(0.3, generator: b)).all().item<bool>());
            Assert.True(SeededDraws.Normal([3, 5], ScalarType.Float32, CPU, a).equal(randn([3, 5], generator: b)).all().item<bool>());
            Assert.True(SeededDraws.Uniform([9], ScalarType.Float64, CPU, a).equal(rand([9], ScalarType.Float64, generator: b)).all().item<bool>());
            Assert.True(SeededDraws.Integers(0, 5, [20], CPU, a).equal(randint(0, 5, [20], ScalarType.Int64, generator: b)).all().item<bool>());
            var probabilities = full(100, 0.25);
            Assert.True(SeededDraws.Bernoulli(probabilities, a).equal(bernoulli(probabilities, generator: b)).all().item<bool>());
        }
    }

    [Fact]
    public void DrawsHaveTheirDistributionsShapesAndTypes()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3);
        var permutation = SeededDraws.Permutation(500, g, CPU);
        Assert.True(permutation.sort().Values.equal(arange(500, ScalarType.Int64)).all().item<bool>());
        var mask = SeededDraws.Bernoulli([20_000], 0.8, ScalarType.Float32, CPU, g);
        Assert.Equal(ScalarType.Float32, mask.dtype);
        Assert.InRange(mask.mean().item<float>(), 0.79, 0.81); // 20,000 draws: the standard error is 0.003
        Assert.True(mask.eq(0).logical_or(mask.eq(1)).all().item<bool>());
        var integers = SeededDraws.Integers(2, 6, [1000], CPU, g);
        Assert.Equal(ScalarType.Int64, integers.dtype);
        Assert.Equal(2, integers.min().item<long>());
        Assert.Equal(5, integers.max().item<long>());
        Assert.Equal(new long[] { 2, 3 }, SeededDraws.Normal([2, 3], ScalarType.Float64, CPU, g).shape);
    }

    [Fact]
    public void TheSameSeedGivesTheSameDrawAndAnotherSeedAnother()
    {
        using var scope = NewDisposeScope();
        using Generator a = new(11), b = new(11), c = new(12);
        var first = SeededDraws.Permutation(100, a, CPU);
        Assert.True(first.equal(SeededDraws.Permutation(100, b, CPU)).all().item<bool>());
        Assert.False(first.equal(SeededDraws.Permutation(100, c, CPU)).all().item<bool>());
    }
}
