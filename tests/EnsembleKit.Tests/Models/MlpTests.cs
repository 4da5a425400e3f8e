using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class MlpTests
{
    [Fact]
    public void Seed000SpecHasTheRightShapesAndParameterCount()
    {
        using var mlp = Mlp.Seed000();
        Assert.Equal(784 * 512 + 512 + 512 * 10 + 10, mlp.parameters().Sum(p => p.numel()));
        using var x = randn(5, 1, 28, 28);
        using var y = mlp.forward(x);
        Assert.Equal(new long[] { 5, 10 }, y.shape);
    }

    [Fact]
    public void InconsistentSpecOrInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Mlp([(784, 512), (256, 10)]));
        Assert.Contains("layer 1", e.Message);
        using var mlp = new Mlp([(10, 4), (4, 2)]);
        using var wrong = randn(3, 11);
        e = Assert.Throws<ArgumentException>(() => mlp.forward(wrong));
        Assert.Contains("[3, 11]", e.Message);
    }
}
