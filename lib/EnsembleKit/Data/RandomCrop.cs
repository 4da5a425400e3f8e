using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Zero-pads images <c>[B, C, H, W]</c> by <see cref="Padding"/> pixels on each side and takes a random
/// <c>H x W</c> window from each padded image, with its own offset per sample (the "pad 4, random crop 32"
/// CIFAR augmentation). Vectorised: one <c>gather</c> on the flattened padded batch, no per-sample loop.
/// Offsets are uniform in <c>0 .. 2 * Padding</c> and drawn from the generator, rows first then columns.
/// </summary>
public sealed class RandomCrop : IBatchTransform
{
    public int Padding { get; }

    public RandomCrop(int padding = 4)
    {
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be non-negative; got {padding}.");
        Padding = padding;
    }

    public Tensor Apply(Tensor inputs, Generator generator)
    {
        if (inputs.dim() != 4) throw new ArgumentException($"RandomCrop expects images [B, C, H, W]; got [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        if (Padding == 0) return inputs.alias();
        using var scope = NewDisposeScope();
        long b = inputs.shape[0], c = inputs.shape[1], h = inputs.shape[2], w = inputs.shape[3];
        var device = inputs.device;
        long paddedW = w + 2 * Padding, paddedH = h + 2 * Padding;
        var padded = nn.functional.pad(inputs, [Padding, Padding, Padding, Padding]).reshape(b, c, paddedH * paddedW);
        var top = SeededDraws.Integers(0, 2 * Padding + 1, [b], device, generator);
        var left = SeededDraws.Integers(0, 2 * Padding + 1, [b], device, generator);
        // flat index of output pixel (i, j) of sample k in its padded image: (top[k] + i) * paddedW + left[k] + j
        using Scalar rowCount = h, colCount = w, paddedRowStride = paddedW;
        var rows = top.view(b, 1, 1).add(arange(rowCount, ScalarType.Int64, device).view(1, h, 1)).mul(paddedRowStride);
        var cols = left.view(b, 1, 1).add(arange(colCount, ScalarType.Int64, device).view(1, 1, w));
        var index = rows.add(cols).view(b, 1, h * w).expand(b, c, h * w);
        var crop = padded.gather(2, index).view(b, c, h, w);
        return crop.MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomCrop(padding {Padding})";
}
