using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>One parameter of a model as it sits in a flat weight vector: its name, shape and offset.</summary>
public sealed record ParameterSlot(string Name, long[] Shape, long Offset, long Length)
{
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}

/// <summary>
/// A model's parameters as one flat CPU <c>float[]</c>, in <c>named_parameters()</c> order, generic over any
/// <see cref="nn.Module"/>. Biases are the parameters whose name ends in <c>bias</c> (last dotted segment),
/// which includes the shift of normalisation layers; seed 001 drops them ("ignore biases") for weight cosine.
/// Buffers (batch-norm running statistics) are never included.
/// </summary>
public static class ParameterVector
{
    /// <summary>True for a parameter name whose last segment is <c>bias</c>, e.g. <c>layers.0.bias</c>.</summary>
    public static bool IsBias(string name) => name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal);

    /// <summary>Which parameters go into the vector, and where.</summary>
    public static IReadOnlyList<ParameterSlot> Layout(nn.Module model, bool includeBiases = false)
    {
        TorchRuntime.EnsureInitialized();
        var slots = new List<ParameterSlot>();
        long offset = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            if (!includeBiases && IsBias(name)) continue;
            slots.Add(new ParameterSlot(name, p.shape, offset, p.numel()));
            offset += p.numel();
        }
        return slots;
    }

    /// <summary>Total length of the vector <see cref="Flatten"/> returns.</summary>
    public static long Length(nn.Module model, bool includeBiases = false) => Layout(model, includeBiases).Sum(s => s.Length);

    /// <summary>
    /// The parameters (biases only if <paramref name="includeBiases"/>) flattened and concatenated into a new CPU
    /// float32 array. No tensor outlives the call.
    /// </summary>
    public static float[] Flatten(nn.Module model, bool includeBiases = false)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parts = model.named_parameters().Where(p => includeBiases || !IsBias(p.name))
            .Select(p => p.parameter.detach().to(CPU).to(ScalarType.Float32).flatten()).ToList();
        if (parts.Count == 0) return [];
        return cat(parts, 0).data<float>().ToArray();
    }

    /// <summary>
    /// Writes <paramref name="values"/> (laid out as <see cref="Flatten"/> with the same <paramref name="includeBiases"/>)
    /// into <paramref name="model"/>'s parameters, on the model's device and dtype. Parameters outside the layout keep their values.
    /// </summary>
    public static void Load(nn.Module model, ReadOnlySpan<float> values, bool includeBiases = false)
    {
        TorchRuntime.EnsureInitialized();
        var layout = Layout(model, includeBiases);
        long expected = layout.Sum(s => s.Length);
        if (values.Length != expected)
            throw new ArgumentException($"the weight vector has {values.Length} values but the model's {(includeBiases ? "parameters" : "non-bias parameters")} need {expected}.", nameof(values));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var slot in layout)
        {
            var target = parameters[slot.Name];
            var source = tensor(values.Slice((int)slot.Offset, (int)slot.Length).ToArray(), slot.Shape, ScalarType.Float32);
            target.copy_(source);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first parameter (in <paramref name="a"/>'s order) whose name or
    /// shape differs between the two models, or that one of them lacks.
    /// </summary>
    public static void RequireSameLayout(nn.Module a, nn.Module b, bool includeBiases = false, string nameA = "a", string nameB = "b")
    {
        var la = Layout(a, includeBiases);
        var lb = Layout(b, includeBiases);
        for (int i = 0; i < Math.Max(la.Count, lb.Count); i++)
        {
            if (i >= la.Count)
                throw new ArgumentException($"model {nameB} has parameter {lb[i]} (#{i}) that model {nameA} lacks: the architectures differ.");
            if (i >= lb.Count)
                throw new ArgumentException($"model {nameA} has parameter {la[i]} (#{i}) that model {nameB} lacks: the architectures differ.");
            if (la[i].Name != lb[i].Name || !la[i].Shape.SequenceEqual(lb[i].Shape))
                throw new ArgumentException($"parameter #{i} differs: {la[i]} in model {nameA} but {lb[i]} in model {nameB}.");
        }
    }
}
