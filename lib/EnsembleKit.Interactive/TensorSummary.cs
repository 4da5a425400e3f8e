using System.Globalization;
using static TorchSharp.torch;

namespace EnsembleKit.Interactive;

/// <summary>A one-line description of a tensor for notebook output, in place of TorchSharp's full dump.</summary>
public static class TensorSummary
{
    /// <summary>At most this many elements are printed in full; larger tensors show their range and mean.</summary>
    public const int MaxElementsShown = 10;

    /// <summary>E.g. <c>tensor [2, 3] Float32 cpu: min -1.2, mean 0.03, max 2.1</c>, or the values of a small tensor.</summary>
    public static string Format(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.IsInvalid) return "tensor (disposed)";
        var head = $"tensor [{string.Join(", ", tensor.shape)}] {tensor.dtype} {tensor.device.ToString().ToLowerInvariant()}";
        if (tensor.numel() == 0) return head + " (empty)";
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var flat = tensor.detach().flatten().cpu();
        if (flat.numel() <= MaxElementsShown)
            return head + ": [" + string.Join(", ", Enumerable.Range(0, (int)flat.numel()).Select(i => Value(flat[i]))) + "]";
        if (!flat.is_floating_point() && flat.dtype != ScalarType.Bool && !flat.is_complex()) flat = flat.to_type(ScalarType.Float64);
        if (!flat.is_floating_point()) return head;
        var stats = stack([flat.min(), flat.mean(), flat.max()]).to_type(ScalarType.Float64).data<double>().ToArray();
        return head + string.Create(CultureInfo.InvariantCulture, $": min {stats[0]:G4}, mean {stats[1]:G4}, max {stats[2]:G4}");
    }

    static string Value(Tensor scalar) => scalar.dtype switch
    {
        ScalarType.Bool => scalar.item<bool>() ? "true" : "false",
        _ when scalar.is_floating_point() => scalar.to_type(ScalarType.Float64).item<double>().ToString("G4", CultureInfo.InvariantCulture),
        _ when scalar.is_complex() => scalar.ToString(),
        _ => scalar.to_type(ScalarType.Int64).item<long>().ToString(CultureInfo.InvariantCulture),
    };
}
