using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Neural Partitioning (seed 002 §3.2.2): <c>k</c> masks that form a disjoint union of the masked parameters, so sibling
/// children inherit no parameter in common. For two parts this is the anti-mask pair <c>(M, 1 − M)</c> (eq. 3.10);
/// for <c>k</c> parts each child has sparsity <c>1 − 1/k</c> (eq. 3.11).
/// <para>Exact rule (seed 002 gives only the examples): with <see cref="MaskSampling.ExactCount"/> the units of every tensor
/// (entries, or rows for structured masks) are put in a random order and unit number <c>j</c> of that order goes to part
/// <c>(j + t) mod k</c>, <c>t</c> the tensor's index, so each part keeps <c>⌊u/k⌋</c> or <c>⌈u/k⌉</c> units of a
/// <c>u</c>-unit tensor and the extra units rotate over the parts; with <see cref="MaskSampling.Bernoulli"/> each unit draws
/// a uniform part label (seed-spec §1.12), so sizes match only on average.</para>
/// </summary>
public static class NeuralPartitioning
{
    /// <summary>
    /// <paramref name="parts"/> disjoint masks covering every masked parameter of <paramref name="model"/>. Uses
    /// <paramref name="options"/> for the tensors, structure and sampling (its Sparsity is ignored; it is <c>1 − 1/k</c>,
    /// and the criterion must be random). The caller owns the masks.
    /// </summary>
    public static SubnetworkMask[] Partition(nn.Module model, int parts, long seed, MaskOptions? options = null)
    {
        TorchRuntime.EnsureInitialized();
        if (parts < 2) throw new ArgumentOutOfRangeException(nameof(parts), $"Neural Partitioning needs at least 2 parts; got {parts}.");
        options ??= new MaskOptions();
        if (options.Criterion != MaskCriterion.Random)
            throw new ArgumentException("Neural Partitioning draws random partitions; a magnitude criterion would give every part the same units.", nameof(options));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var selected = MaskMath.Select(model, options);
        var labels = new Dictionary<string, Tensor>();   // unit -> part, int64 [units]
        var masks = Enumerable.Range(0, parts).Select(_ => new Dictionary<string, Tensor>()).ToArray();
        int tensorIndex = 0;
        foreach (var (name, p) in selected)
        {
            Tensor label;
            if (options.Structure == MaskStructure.Structured && MaskMath.PairedRows(name, p, labels) is { } rows)
                label = rows;
            else
            {
                long units = MaskMath.Units(p.shape, options.Structure);
                if (options.Sampling == MaskSampling.Bernoulli)
                    label = randint(0, parts, [units], generator: generator);
                else
                {
                    var order = randperm(units, generator: generator);
                    using Scalar unitCount = units, offset = tensorIndex, partCount = parts;
                    var part = arange(unitCount, dtype: ScalarType.Int64).add_(offset).remainder_(partCount);
                    label = empty(units, dtype: ScalarType.Int64).index_put_(part, order);
                }
                labels[name] = label;
            }
            for (int k = 0; k < parts; k++)
            {
                using Scalar partIndex = k;
                masks[k][name] = MaskMath.Expand(label.eq(partIndex).to(ScalarType.Float32), p.shape, options.Structure);
            }
            tensorIndex++;
        }
        return masks.Select(m => SubnetworkMask.Own(model, m)).ToArray();
    }

    /// <summary>A mask and its anti-mask <c>(M, 1 − M)</c>; the caller owns both (the first is a copy of <paramref name="mask"/>).</summary>
    public static (SubnetworkMask Mask, SubnetworkMask AntiMask) Pair(SubnetworkMask mask) => (mask.Clone(), mask.Complement());
}
