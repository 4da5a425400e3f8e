namespace EnsembleKit.Uncertainty;

/// <summary>
/// Conformal prediction sets for N samples over C classes, as made by <see cref="ConformalCalibrator.Predict"/>: the
/// threshold they were cut at, which classes each set holds, and summaries. Immutable; the membership lives on the host
/// (N·C booleans), so no tensor is left for the caller to dispose.
/// </summary>
public sealed class ConformalSets
{
    readonly bool[][] _members;

    internal ConformalSets(ConformalScore score, double threshold, bool[][] members, int classes, double? coverage)
    {
        Score = score;
        Threshold = threshold;
        _members = members;
        Classes = classes;
        Coverage = coverage;
        Sizes = members.Select(row => row.Count(m => m)).ToArray();
        MeanSize = Sizes.Count == 0 ? 0 : Sizes.Average();
        EmptyFraction = Sizes.Count == 0 ? 0 : Sizes.Count(s => s == 0) / (double)Sizes.Count;
    }

    /// <summary>The score the sets were made with.</summary>
    public ConformalScore Score { get; }

    /// <summary>The calibrated threshold q: a set is <c>{y : score(y) ≤ q}</c>; +∞ when every set is all classes.</summary>
    public double Threshold { get; }

    /// <summary>Number of samples N.</summary>
    public int Count => _members.Length;

    /// <summary>Number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Fraction of samples whose target is in their set; null when no targets were given.</summary>
    public double? Coverage { get; }

    /// <summary>Mean number of classes per set.</summary>
    public double MeanSize { get; }

    /// <summary>Fraction of samples with an empty set (possible for LAC and randomised APS).</summary>
    public double EmptyFraction { get; }

    /// <summary>The size of each set, length N.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>Whether sample <paramref name="row"/>'s set holds class <paramref name="label"/>.</summary>
    public bool Contains(int row, int label) => _members[row][label];

    /// <summary>The classes in sample <paramref name="row"/>'s set, ascending by class index.</summary>
    public int[] ClassesOf(int row) => Enumerable.Range(0, Classes).Where(y => _members[row][y]).ToArray();

    /// <summary>A copy of the membership, <c>[N][C]</c>: entry [i][y] is true when class y is in sample i's set.</summary>
    public bool[][] ToMask() => _members.Select(row => (bool[])row.Clone()).ToArray();
}
