using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>Turns raw 8-bit image bytes into float tensors in [0, 1].</summary>
internal static class ImageTensors
{
    /// <summary>
    /// Bytes laid out as <paramref name="shape"/> (e.g. <c>[N, 3, 32, 32]</c> planar, or <c>[N, 32, 32, 3]</c>
    /// interleaved) as a float32 tensor of that shape scaled to [0, 1].
    /// </summary>
    public static Tensor FromBytes(byte[] bytes, long[] shape)
    {
        using var scope = NewDisposeScope();
        using var raw = tensor(bytes, shape, ScalarType.Byte);
        using Scalar maxLevel = 255f;
        return raw.to(ScalarType.Float32).div_(maxLevel).MoveToOuterDisposeScope();
    }

    /// <summary>Labels as an int64 tensor <c>[N]</c>.</summary>
    public static Tensor Labels(byte[] labels)
    {
        using var raw = tensor(labels, new long[] { labels.Length }, ScalarType.Byte);
        return raw.to(ScalarType.Int64);
    }
}
