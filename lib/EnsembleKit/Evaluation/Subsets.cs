namespace EnsembleKit.Evaluation;

/// <summary>The k-element subsets of {0, ..., n-1}, each ascending, in lexicographic order.</summary>
internal static class Subsets
{
    /// <exception cref="ArgumentOutOfRangeException">C(n, k) exceeds <paramref name="max"/>: averaging over them would not finish.</exception>
    public static IReadOnlyList<int[]> Of(int n, int k, int max)
    {
        double count = 1;
        for (int i = 0; i < k; i++) count = count * (n - i) / (i + 1);
        if (count > max)
            throw new ArgumentOutOfRangeException(nameof(k), $"C({n}, {k}) = {count:F0} subsets is more than the {max} allowed; raise the limit or score fewer members.");
        var result = new List<int[]>((int)count);
        var current = new int[k];
        void Extend(int position, int next)
        {
            if (position == k)
            {
                result.Add((int[])current.Clone());
                return;
            }
            for (int i = next; i <= n - (k - position); i++)
            {
                current[position] = i;
                Extend(position + 1, i + 1);
            }
        }
        Extend(0, 0);
        return result;
    }
}
