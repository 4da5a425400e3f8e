using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

public class TensorDatasetTests
{
    [Fact]
    public void TargetsMustBeClassIndicesOfTheDataset()
    {
        // A target outside [0, classCount) used to surface much later, as libtorch's "Target 3 is out of bounds" in the
        // loss or as wrong metrics; now the constructor names it.
        using var inputs = zeros(4, 2);
        using var oneBased = tensor(new long[] { 1, 2, 3, 1 });
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(inputs, oneBased, 3, "one-based"));
        Assert.Equal("targets: value 3 at index 2 is outside [0, 3). (Parameter 'targets')", e.Message);
        using var negative = tensor(new long[] { 0, -1, 0, 0 });
        Assert.Contains("value -1 at index 1", Assert.Throws<ArgumentException>(() => new TensorDataset(inputs, negative, 3)).Message);
        using var valid = tensor(new long[] { 0, 1, 2, 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorDataset(inputs, valid, 0));
        using var fine = new TensorDataset(inputs.clone(), valid.clone(), 3, "fine");
        Assert.Equal(4, fine.Count);
    }

    [Fact]
    public void TakeRefusesANegativeCountAndCapsALargeOne()
    {
        using var data = new TensorDataset(arange(10, dtype: ScalarType.Float32).reshape(5, 2), tensor(new long[] { 0, 1, 0, 1, 0 }), 2, "five");
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Take(-1));
        using var all = data.Take(100);
        Assert.Equal(5, all.Count);
        using var none = data.Take(0);
        Assert.Equal(0, none.Count);
    }
}
