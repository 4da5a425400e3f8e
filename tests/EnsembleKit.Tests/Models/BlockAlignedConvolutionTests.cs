using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Models;

public class BlockAlignedConvolutionTests
{
    /// <summary>Same values and gradients as the plain convolution, computed in float64 (which libtorch runs
    /// without oneDNN) as the reference.</summary>
    [Theory]
    [InlineData(28, 12, 3, 1)]
    [InlineData(40, 48, 1, 0)]
    [InlineData(16, 16, 3, 1)]
    public void MatchesAFloat64Convolution(int inChannels, int outChannels, int kernel, int padding)
    {
        manual_seed(11);
        using var conv = nn.Conv2d(inChannels, outChannels, kernel, padding: padding, bias: false);
        using var scope = NewDisposeScope();
        var x = randn(2, inChannels, 8, 8).requires_grad_();
        var y = BlockAlignedConvolution.Forward(conv, x, padding);
        Assert.Equal(new long[] { 2, outChannels, 8, 8 }, y.shape);
        var g = randn(2, outChannels, 8, 8);
        (y * g).sum().backward();

        var x64 = x.detach().to(ScalarType.Float64).requires_grad_();
        var w64 = conv.weight!.detach().to(ScalarType.Float64).requires_grad_();
        var y64 = nn.functional.conv2d(x64, w64, padding: [padding, padding]);
        (y64 * g.to(ScalarType.Float64)).sum().backward();

        Assert.True(y.to(ScalarType.Float64).allclose(y64, rtol: 1e-4, atol: 1e-4));
        Assert.True(x.grad!.to(ScalarType.Float64).allclose(x64.grad!, rtol: 1e-4, atol: 1e-4));
        Assert.True(conv.weight!.grad!.to(ScalarType.Float64).allclose(w64.grad!, rtol: 1e-4, atol: 1e-3));
    }
}
