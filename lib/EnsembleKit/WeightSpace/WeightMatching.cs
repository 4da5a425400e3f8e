using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Weight matching (Ainsworth et al. 2022, Algorithm 1): finds permutations of model B's hidden units that maximise
/// <c>sum_l &lt;W_l^A, P_l W_l^B P_{l-1}^T&gt;</c>, by coordinate descent: each group's permutation in turn solves a
/// linear assignment problem with the others fixed, until no group improves.
/// </summary>
public static class WeightMatching
{
    /// <summary>Result: one permutation per group, the number of sweeps, and the final matching objective.</summary>
    public sealed record Result(IReadOnlyDictionary<string, int[]> Permutations, int Sweeps, double Objective);

    /// <param name="spec">Which axes of which state entries each permutation group acts on
    /// (e.g. <see cref="PermutationSpec.ForMlp"/> or <see cref="PermutationSpec.ForResNet"/>).</param>
    /// <param name="reference">State of model A (the one others are aligned to).</param>
    /// <param name="other">State of model B, same architecture.</param>
    /// <param name="maxSweeps">Most sweeps over all groups (positive; 100 by default); stops earlier after a sweep in
    /// which no group improved.</param>
    /// <param name="seed">Seeds the order in which groups are visited.</param>
    public static Result Align(PermutationSpec spec, IReadOnlyDictionary<string, Tensor> reference, IReadOnlyDictionary<string, Tensor> other,
        int maxSweeps = 100, long seed = 0)
    {
        if (maxSweeps <= 0) throw new ArgumentOutOfRangeException(nameof(maxSweeps), $"sweeps must be positive; got {maxSweeps}.");
        ModelState.CheckSameArchitecture([reference, other], ["the reference", "the other model"]);
        var sizes = spec.GroupSizes(reference);
        var perms = Permutations.Identity(sizes);
        var groups = spec.Groups.ToArray();
        var random = new Random((int)(seed ^ (seed >> 32)));
        int sweep = 0;
        double objective = 0;
        using var _ = no_grad();
        for (sweep = 1; sweep <= maxSweeps; sweep++)
        {
            bool improved = false;
            random.Shuffle(groups);
            foreach (var group in groups)
            {
                var similarity = Similarity(spec, group, sizes[group], reference, other, perms);
                var best = LinearAssignment.Solve(similarity, maximize: true);
                double before = LinearAssignment.Total(similarity, perms[group]);
                double after = LinearAssignment.Total(similarity, best);
                if (after > before + 1e-12 * Math.Max(1, Math.Abs(before))) improved = true;
                perms[group] = best;
            }
            if (!improved) break;
        }
        objective = Objective(spec, reference, other, perms);
        return new Result(perms, Math.Min(sweep, maxSweeps), objective);
    }

    /// <summary>
    /// <c>S[i, j] = sum over the group's (entry, axis) of &lt;A's slice i, B's slice j&gt;</c>, with B permuted on every other
    /// group: assigning unit <c>j</c> of B to position <c>i</c> gains <c>S[i, j]</c>.
    /// </summary>
    internal static double[,] Similarity(PermutationSpec spec, string group, int size, IReadOnlyDictionary<string, Tensor> reference,
        IReadOnlyDictionary<string, Tensor> other, IReadOnlyDictionary<string, int[]> perms)
    {
        using var scope = NewDisposeScope();
        var total = zeros(size, size, dtype: ScalarType.Float64);
        foreach (var (name, axis) in spec.AxesOf(group))
        {
            var a = reference[name].to(CPU).to(ScalarType.Float64).movedim(new long[] { axis }, new long[] { 0 }).reshape(size, -1);
            var b = Permutations.PermuteEntry(spec, name, other[name], perms, skipGroup: group)
                .to(CPU).to(ScalarType.Float64).movedim(new long[] { axis }, new long[] { 0 }).reshape(size, -1);
            total.add_(a.matmul(b.t()));
        }
        var flat = total.data<double>().ToArray();
        var result = new double[size, size];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    /// <summary><c>sum over permuted entries of &lt;A, permuted B&gt;</c>.</summary>
    public static double Objective(PermutationSpec spec, IReadOnlyDictionary<string, Tensor> reference, IReadOnlyDictionary<string, Tensor> other,
        IReadOnlyDictionary<string, int[]> perms)
    {
        using var scope = NewDisposeScope();
        double total = 0;
        foreach (var name in spec.Axes.Keys)
        {
            var b = Permutations.PermuteEntry(spec, name, other[name], perms);
            total += (reference[name].to(ScalarType.Float64) * b.to(reference[name].device).to(ScalarType.Float64)).sum().item<double>();
        }
        return total;
    }
}
