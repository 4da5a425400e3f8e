using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Distances between subnetwork masks over the same tensors. Seed 002 (eqs. 3.13–3.14) defines the "Cartesian distance"
/// <c>CD(A, B) = sqrt(Σ|a_i − b_i|)</c> (the Euclidean distance of binary vectors) and the ensemble's total
/// <c>TD = Σ_i Σ_j CD(M_i, M_j)</c> (ordered pairs, so each unordered pair counts twice), which Neural Partitioning maximises.
/// The normalised Hamming distance (fraction of entries that differ) and the Jaccard distance of the kept sets are
/// size-free companions.
/// </summary>
public static class MaskDistance
{
    /// <summary>Number of entries where the masks differ.</summary>
    public static long HammingCount(SubnetworkMask a, SubnetworkMask b)
    {
        Require(a, b);
        using var scope = NewDisposeScope();
        return a.Names.Sum(n => a[n].ne(b.On(n, a[n])).sum().item<long>());
    }

    /// <summary>Fraction of entries where the masks differ, in [0, 1].</summary>
    public static double Hamming(SubnetworkMask a, SubnetworkMask b) => (double)HammingCount(a, b) / a.Total;

    /// <summary>Seed 002's <c>CD(A, B) = sqrt(Σ|a_i − b_i|)</c>.</summary>
    public static double Cartesian(SubnetworkMask a, SubnetworkMask b) => Math.Sqrt(HammingCount(a, b));

    /// <summary><c>1 − |A ∩ B| / |A ∪ B|</c> of the kept entries (0 when both keep nothing).</summary>
    public static double Jaccard(SubnetworkMask a, SubnetworkMask b)
    {
        Require(a, b);
        using var scope = NewDisposeScope();
        long both = 0, either = 0;
        using Scalar zero = 0;
        foreach (var n in a.Names)
        {
            var x = a[n].ne(zero);
            var y = b.On(n, a[n]).ne(zero);
            both += x.logical_and(y).sum().item<long>();
            either += x.logical_or(y).sum().item<long>();
        }
        return either == 0 ? 0 : 1 - (double)both / either;
    }

    /// <summary>Seed 002's total distance <c>TD = Σ_i Σ_j CD(M_i, M_j)</c> over ordered pairs.</summary>
    public static double TotalCartesian(IReadOnlyList<SubnetworkMask> masks)
    {
        var d = Pairwise(masks, Cartesian);
        double total = 0;
        foreach (var v in d) total += v;
        return total;
    }

    /// <summary>The matrix <c>[k, k]</c> of <paramref name="distance"/> between every pair of masks (zero diagonal).</summary>
    public static double[,] Pairwise(IReadOnlyList<SubnetworkMask> masks, Func<SubnetworkMask, SubnetworkMask, double> distance)
    {
        if (masks.Count == 0) throw new ArgumentException("no masks to compare.", nameof(masks));
        var d = new double[masks.Count, masks.Count];
        for (int i = 0; i < masks.Count; i++)
            for (int j = i + 1; j < masks.Count; j++)
                d[i, j] = d[j, i] = distance(masks[i], masks[j]);
        return d;
    }

    static void Require(SubnetworkMask a, SubnetworkMask b)
    {
        if (!a.Names.SequenceEqual(b.Names))
            throw new ArgumentException($"the masks cover different tensors: [{string.Join(", ", a.Names)}] vs [{string.Join(", ", b.Names)}].", nameof(b));
        foreach (var n in a.Names)
            if (!a[n].shape.SequenceEqual(b[n].shape))
                throw new ArgumentException($"mask '{n}' is {MaskMath.Shape(a[n].shape)} in one and {MaskMath.Shape(b[n].shape)} in the other.", nameof(b));
    }
}
