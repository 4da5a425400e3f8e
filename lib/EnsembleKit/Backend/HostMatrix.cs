using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>Tensors as plain .NET matrices, for the kit's results and the array-based algorithms (t-SNE).</summary>
internal static class HostMatrix
{
    /// <summary>A 2-D tensor <c>[R, C]</c>, on any device and of any floating dtype, as a <c>double[R, C]</c>.</summary>
    public static double[,] Of(Tensor matrix)
    {
        if (matrix.dim() != 2) throw new ArgumentException($"expected a matrix [R, C]; got {Shapes.Describe(matrix)}.", nameof(matrix));
        using var scope = NewDisposeScope();
        var flat = matrix.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var result = new double[matrix.shape[0], matrix.shape[1]];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
