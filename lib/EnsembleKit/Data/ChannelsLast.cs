using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Image batches in channels-last memory order: the same shape and values, with the channel index running fastest in
/// memory (NHWC strides). A convolution, pooling or batch norm on the CPU given such a tensor takes oneDNN's
/// channels-last kernels and hands its output on in the same order, so a whole CNN runs channels-last from its input on.
/// Measured here, training steps of the kit's CNNs ran up to 1.6x faster that way (README, <i>Benchmarks</i>:
/// <c>kit bench cnn-step</c>); max pooling in the default order was the largest single loss. The kernels sum in
/// another order (LeNet-S's forward pass came out bit-identical here, its weight gradients 4e-8 apart), so training
/// differs from the default by float rounding.
/// </summary>
public static class ChannelsLast
{
    /// <summary>
    /// A channels-last copy of <paramref name="images"/>: <c>[B, C, H, W]</c>, or <c>[M, B, C, H, W]</c> (lockstep
    /// members) whose every member <c>[B, C, H, W]</c> is channels-last. The caller owns (disposes) the result.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="images"/> is not 4-D or 5-D.</exception>
    public static Tensor Of(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        var result = images.dim() switch
        {
            4 => images.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
            5 => images.permute(0, 1, 3, 4, 2).contiguous().permute(0, 1, 4, 2, 3),
            _ => throw new ArgumentException(
                $"channels-last needs images [B, C, H, W] or [M, B, C, H, W]; got shape [{string.Join(", ", images.shape)}].", nameof(images)),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Whether <paramref name="images"/> (<c>[..., C, H, W]</c>, at least 3-D) is laid out channels-last: the channel
    /// stride is 1 and the rows and columns step over whole pixels of C channels. Size-1 dimensions are ignored, as
    /// libtorch ignores them.
    /// </summary>
    public static bool Is(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() < 3) return false;
        var shape = images.shape;
        var stride = images.stride();
        int c = shape.Length - 3, h = c + 1, w = c + 2;
        bool channels = shape[c] == 1 || stride[c] == 1;
        bool columns = shape[w] == 1 || stride[w] == shape[c];
        bool rows = shape[h] == 1 || stride[h] == shape[c] * shape[w];
        return channels && columns && rows;
    }
}
