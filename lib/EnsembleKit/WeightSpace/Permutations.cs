using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>Applies hidden-unit permutations to a state dict according to a <see cref="PermutationSpec"/>.</summary>
public static class Permutations
{
    /// <summary>
    /// A new state (caller disposes its tensors) where every axis of group <c>g</c> is re-indexed by <c>perms[g]</c>
    /// (new index <c>i</c> takes old index <c>perms[g][i]</c>). Entries the spec does not list are cloned unchanged.
    /// The permuted network computes the same function as the original.
    /// </summary>
    public static Dictionary<string, Tensor> Apply(PermutationSpec spec, IReadOnlyDictionary<string, Tensor> state,
        IReadOnlyDictionary<string, int[]> perms, string? skipGroup = null)
    {
        var sizes = spec.GroupSizes(state);
        foreach (var (group, perm) in perms)
            if (sizes.TryGetValue(group, out int size)) CheckPermutation(group, perm, size);
        var result = new Dictionary<string, Tensor>();
        using var _ = no_grad();
        foreach (var (name, value) in state)
            result[name] = PermuteEntry(spec, name, value, perms, skipGroup).DetachFromDisposeScope();
        return result;
    }

    /// <summary>One entry permuted on every axis except those of <paramref name="skipGroup"/>.</summary>
    internal static Tensor PermuteEntry(PermutationSpec spec, string name, Tensor value, IReadOnlyDictionary<string, int[]> perms, string? skipGroup = null)
    {
        using var scope = NewDisposeScope();
        var result = value.detach();
        if (spec.Axes.TryGetValue(name, out var groups))
            for (int axis = 0; axis < groups.Length; axis++)
            {
                if (groups[axis] is not { } group || group == skipGroup || !perms.TryGetValue(group, out var perm)) continue;
                using var index = tensor(perm.Select(i => (long)i).ToArray(), device: value.device);
                result = result.index_select(axis, index);
            }
        return result.clone().MoveToOuterDisposeScope();
    }

    /// <summary>The identity permutation of each group.</summary>
    public static Dictionary<string, int[]> Identity(IReadOnlyDictionary<string, int> sizes) =>
        sizes.ToDictionary(kv => kv.Key, kv => Enumerable.Range(0, kv.Value).ToArray());

    /// <summary>The inverse permutation.</summary>
    public static int[] Inverse(IReadOnlyList<int> perm)
    {
        var inverse = new int[perm.Count];
        for (int i = 0; i < perm.Count; i++) inverse[perm[i]] = i;
        return inverse;
    }

    internal static void CheckPermutation(string group, IReadOnlyList<int> perm, int size)
    {
        if (perm.Count != size) throw new ArgumentException($"the permutation of '{group}' has {perm.Count} entries; the group has {size} units.");
        var seen = new bool[size];
        foreach (int i in perm)
        {
            if (i < 0 || i >= size || seen[i]) throw new ArgumentException($"the permutation of '{group}' is not a permutation of 0..{size - 1} (entry {i}).");
            seen[i] = true;
        }
    }
}
