using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>Shared mask arithmetic: which tensors, unit counts, unit masks, magnitude scores (all on the CPU).</summary>
internal static class MaskMath
{
    /// <summary>The parameters <paramref name="options"/> selects, weights (dim &gt;= 2) before 1-D ones, so a bias can follow its weight.</summary>
    internal static List<(string Name, TorchSharp.Modules.Parameter Parameter)> Select(nn.Module model, MaskOptions options)
    {
        var selected = model.named_parameters().Where(np => options.Selects(np.name, np.parameter)).ToList();
        if (selected.Count == 0)
            throw new ArgumentException($"the model has no parameters to mask (weights are parameters with dim >= 2; it has {string.Join(", ", model.named_parameters().Select(np => $"{np.name} {Shape(np.parameter.shape)}"))}).", nameof(model));
        return selected.OrderBy(np => np.parameter.dim() >= 2 ? 0 : 1).ToList();
    }

    internal static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    internal static long Units(long[] shape, MaskStructure structure) =>
        structure == MaskStructure.Structured ? shape[0] : shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>A float32 <c>[units]</c> vector of ones with zeros at <paramref name="removed"/> (int64 indices).</summary>
    internal static Tensor UnitMask(long units, Tensor removed)
    {
        using Scalar zero = 0;
        return ones(units, dtype: ScalarType.Float32).index_fill_(0, removed, zero);
    }

    /// <summary>Expands a unit mask <c>[units]</c> to the tensor's shape (rows of dim 0 for structured masks).</summary>
    internal static Tensor Expand(Tensor unitMask, long[] shape, MaskStructure structure)
    {
        if (structure == MaskStructure.Unstructured) return unitMask.reshape(shape).contiguous();
        var view = new long[shape.Length];
        Array.Fill(view, 1L);
        view[0] = shape[0];
        return unitMask.reshape(view).expand(shape).contiguous();
    }

    /// <summary>Magnitude of each unit, float64 <c>[units]</c> on the CPU: |w| per entry, or the L1 norm of each row.</summary>
    internal static Tensor Scores(Tensor weight, MaskStructure structure)
    {
        var w = weight.detach().to(ScalarType.Float64).cpu().abs();
        return structure == MaskStructure.Unstructured ? w.flatten() : w.reshape(w.shape[0], -1).sum(dim: 1);
    }

    /// <summary>Indices of <paramref name="scores"/> in ascending order, ties by index (stable).</summary>
    internal static Tensor AscendingOrder(Tensor scores) => scores.sort(dim: 0, descending: false, stable: true).Indices;

    /// <summary>
    /// For a structured mask, a selected bias takes the rows of its layer's weight (<c>prefix.weight</c>) when that weight
    /// is masked and has as many rows; returns that unit mask, or null.
    /// </summary>
    internal static Tensor? PairedRows(string name, Tensor parameter, IReadOnlyDictionary<string, Tensor> unitMasks)
    {
        if (parameter.dim() != 1 || !MaskOptions.IsBias(name)) return null;
        string weightName = name.Length > 4 ? name[..^4] + "weight" : "weight";
        return unitMasks.TryGetValue(weightName, out var rows) && rows.shape[0] == parameter.shape[0] ? rows : null;
    }
}
