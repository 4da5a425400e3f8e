using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>The layer-spec rules and the input check that <see cref="Mlp"/> and its variational twin share.</summary>
internal static class MlpSpec
{
    /// <summary>A copy of <paramref name="spec"/> once every layer is positive and each takes what the one before gives.</summary>
    public static (int In, int Out)[] Validate(IReadOnlyList<(int In, int Out)> spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Count == 0) throw new ArgumentException("an MLP needs at least one layer.", nameof(spec));
        for (int i = 0; i < spec.Count; i++)
        {
            if (spec[i].In <= 0 || spec[i].Out <= 0)
                throw new ArgumentException($"layer {i} has non-positive size ({spec[i].In}, {spec[i].Out}).", nameof(spec));
            if (i > 0 && spec[i].In != spec[i - 1].Out)
                throw new ArgumentException($"layer {i} takes {spec[i].In} inputs but layer {i - 1} gives {spec[i - 1].Out}.", nameof(spec));
        }
        return spec.ToArray();
    }

    /// <summary><paramref name="input"/> as <c>[B, inputSize]</c> (higher ranks flattened), or an error naming <paramref name="model"/>.</summary>
    public static Tensor Flatten(Tensor input, int inputSize, string model)
    {
        var x = input.dim() == 2 ? input : input.flatten(1);
        if (x.shape[1] != inputSize)
            throw new ArgumentException($"{model} expects inputs [B, {inputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        return x;
    }
}
