using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>
/// Shows whether libtorch's oneDNN reads unwritten channel padding on this machine (see <see cref="CpuAllocatorFill"/>):
/// runs 3×3 convolutions, forward and backward, first with the CPU allocator's junk fill (NaN in every new block, no
/// zero fill), then with the kit's zero fill, and counts the passes whose output or gradients are not finite. Whether
/// junk reaches the output depends on the CPU, oneDNN's kernels and the allocator's state, so this is a diagnostic
/// (<c>kit doctor --onednn</c>), not a test; the zero-fill column must always be finite. The allocator's fill mode is
/// process-wide: it is restored when the check ends, and nothing else should allocate CPU tensors meanwhile.
/// </summary>
public static class OneDnnPaddingCheck
{
    /// <summary>
    /// Input and output channels checked: off oneDNN's channel blocks (8 on AVX2, 16 on AVX-512) in the forward pass,
    /// the backward pass or both, as in LeNet's first layer and a DenseNet-BC layer; 16 → 16 is whole blocks (a control).
    /// </summary>
    public static IReadOnlyList<(int InputChannels, int OutputChannels)> Shapes { get; } = [(12, 6), (3, 6), (28, 12), (16, 16)];

    /// <summary>Runs every shape of <see cref="Shapes"/> <paramref name="passes"/> times with each fill.</summary>
    public static OneDnnPaddingReport Run(int passes = 3)
    {
        if (passes < 1) throw new ArgumentOutOfRangeException(nameof(passes), $"passes must be at least 1; got {passes}.");
        TorchRuntime.EnsureInitialized();
        var before = CpuAllocatorFill.Mode;
        try
        {
            if (!Switches(AllocatorFill.Junk) || !Switches(AllocatorFill.Zero)) return new OneDnnPaddingReport(false, false, passes, []);
            bool junkIsNaN = WithFill(AllocatorFill.Junk, NewMemoryHoldsNaN);
            var rows = new List<OneDnnPaddingShape>();
            foreach (var (cin, cout) in Shapes)
            {
                int junk = NonFinitePasses(AllocatorFill.Junk, cin, cout, passes);   // also leaves NaN in freed memory
                int zero = NonFinitePasses(AllocatorFill.Zero, cin, cout, passes);
                rows.Add(new OneDnnPaddingShape(cin, cout, passes, junk, zero));
            }
            return new OneDnnPaddingReport(true, junkIsNaN, passes, rows);
        }
        finally
        {
            CpuAllocatorFill.Mode = before;
        }
    }

    /// <summary>
    /// Forward and backward of one 3×3 convolution (padding 1) of a <c>[2, inputChannels, 8, 8]</c> float32 input on the
    /// CPU; true when the output and both gradients are finite. Uses its own generator, not the global one.
    /// </summary>
    public static bool ConvolutionIsFinite(int inputChannels, int outputChannels, ulong seed = 0)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed + (ulong)(inputChannels * 100 + outputChannels));
        var x = randn(new long[] { 2, inputChannels, 8, 8 }, device: CPU, generator: generator).requires_grad_();
        using Scalar weightScale = 0.1;
        var weight = randn(new long[] { outputChannels, inputChannels, 3, 3 }, device: CPU, generator: generator).mul(weightScale).requires_grad_();
        var y = nn.functional.conv2d(x, weight, padding: [1, 1]);
        y.sum().backward();
        return y.isfinite().all().item<bool>() && x.grad!.isfinite().all().item<bool>() && weight.grad!.isfinite().all().item<bool>();
    }

    /// <summary>Runs <paramref name="action"/> with the allocator's fill set to <paramref name="mode"/>, then restores the previous mode.</summary>
    internal static T WithFill<T>(AllocatorFill mode, Func<T> action)
    {
        var before = CpuAllocatorFill.Mode;
        CpuAllocatorFill.Mode = mode;
        try { return action(); }
        finally { CpuAllocatorFill.Mode = before; }
    }

    static int NonFinitePasses(AllocatorFill mode, int inputChannels, int outputChannels, int passes) =>
        WithFill(mode, () => Enumerable.Range(0, passes).Count(p => !ConvolutionIsFinite(inputChannels, outputChannels, (ulong)p)));

    /// <summary>Whether a new, uninitialised CPU tensor holds NaN (true under the junk fill, whose pattern is a float NaN).</summary>
    static bool NewMemoryHoldsNaN()
    {
        using var block = empty(new long[] { 4096 }, ScalarType.Float32, device: CPU);
        using var nan = block.isnan();
        using var any = nan.any();
        return any.item<bool>();
    }

    /// <summary>Whether the allocator's flags are reachable: setting a mode reads back as that mode.</summary>
    static bool Switches(AllocatorFill mode) => WithFill(mode, () => CpuAllocatorFill.Mode == mode);
}
