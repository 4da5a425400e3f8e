using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Backend;

/// <summary>
/// oneDNN's convolutions read the padding of their last channel block without writing it (see
/// <see cref="CpuAllocatorFill"/>). These tests pin the diagnosis (with NaN junk in new memory the affected shapes
/// return NaN) and the cure (with the kit's zero fill they never do). The test classes run one at a time
/// (xunit.runner.json), so switching the process-wide fill mode here cannot leak into another test.
/// </summary>
public class OneDnnTests
{
    /// <summary>Forward and backward of one 3×3 convolution; true when everything is finite.</summary>
    static bool ConvolutionIsFinite(int inputChannels, int outputChannels)
    {
        using var scope = NewDisposeScope();
        manual_seed(inputChannels * 100 + outputChannels);
        var x = randn(new long[] { 2, inputChannels, 8, 8 }, requires_grad: true);
        var weight = (randn(outputChannels, inputChannels, 3, 3) * 0.1).requires_grad_();
        var y = nn.functional.conv2d(x, weight, padding: [1, 1]);
        y.sum().backward();
        return y.isfinite().all().item<bool>() && x.grad!.isfinite().all().item<bool>() && weight.grad!.isfinite().all().item<bool>();
    }

    static void WithFill(AllocatorFill mode, Action action)
    {
        var before = CpuAllocatorFill.Mode;
        CpuAllocatorFill.Mode = mode;
        try { action(); }
        finally { CpuAllocatorFill.Mode = before; }
    }

    [Fact]
    public void ZeroFillIsOnByDefault()
    {
        TorchRuntime.EnsureInitialized();
        if (Environment.GetEnvironmentVariable(CpuAllocatorFill.Variable) is not ("0" or "false" or "off"))
            Assert.Equal(AllocatorFill.Zero, CpuAllocatorFill.Mode);
    }

    [Theory]
    [InlineData(12, 6)]   // input and output channels off the block: forward and backward read padding
    [InlineData(3, 6)]    // LeNet's first layer: backward reads padding
    [InlineData(28, 12)]  // a DenseNet-BC layer (growth 12)
    public void JunkInNewMemoryReachesTheOutputWithoutTheZeroFill(int inputChannels, int outputChannels)
    {
        TorchRuntime.EnsureInitialized();
        bool finite = true;
        WithFill(AllocatorFill.Junk, () => finite = ConvolutionIsFinite(inputChannels, outputChannels));
        // If this starts failing, libtorch's oneDNN no longer reads unwritten memory and the zero fill may be dropped.
        Assert.False(finite, "expected NaN from oneDNN's unwritten channel padding under the allocator's junk fill");
    }

    [Fact]
    public void ZeroFillKeepsEveryShapeFiniteEvenAfterJunk()
    {
        TorchRuntime.EnsureInitialized();
        WithFill(AllocatorFill.Junk, () => ConvolutionIsFinite(12, 6));   // leave NaN junk in freed memory
        WithFill(AllocatorFill.Zero, () =>
        {
            foreach (var cin in new[] { 3, 12, 16, 28, 40 })
            foreach (var cout in new[] { 6, 12, 16 })
                Assert.True(ConvolutionIsFinite(cin, cout), $"conv {cin} -> {cout} channels gave a non-finite value");
        });
    }

    /// <summary>The DenseNet-style stack that first showed the problem (non-finite in 161 and 280 of 300 passes).</summary>
    [Fact]
    public void DenseConvolutionStackStaysFinite()
    {
        TorchRuntime.EnsureInitialized();
        int bad = 0;
        WithFill(AllocatorFill.Zero, () =>
        {
            for (int rep = 0; rep < 60; rep++)
            {
                using var scope = NewDisposeScope();
                manual_seed(rep);
                var x = randn(2, 16, 8, 8);
                for (int i = 0; i < 6; i++)
                {
                    var weight = randn(12, 16 + 12 * i, 3, 3) * 0.1;
                    x = cat([x, nn.functional.conv2d(nn.functional.relu(x), weight, padding: [1, 1])], 1);
                }
                if (!x.isfinite().all().item<bool>()) bad++;
            }
        });
        Assert.Equal(0, bad);
    }
}
