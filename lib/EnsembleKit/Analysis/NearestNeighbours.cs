namespace EnsembleKit.Analysis;

/// <summary>
/// Exact k-nearest-neighbour search by brute force (all pairs, rows in parallel): O(N² D), which beats a
/// vantage-point tree for the few thousand points and the high dimensions (flattened predictions) t-SNE sees here.
/// Ties are broken by the smaller index, so results are deterministic.
/// </summary>
internal static class NearestNeighbours
{
    /// <summary>
    /// For each row of <paramref name="x"/> (flat <c>[n, d]</c>), its <paramref name="k"/> nearest other rows in
    /// increasing (squared distance, index) order: <paramref name="indices"/> and <paramref name="squaredDistances"/> are <c>[n, k]</c> flat.
    /// </summary>
    public static void Search(double[] x, int n, int d, int k, out int[] indices, out double[] squaredDistances)
    {
        if (k < 1 || k > n - 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in [1, {n - 1}] for {n} points; got {k}.");
        var idx = new int[n * k];
        var dist = new double[n * k];
        ParallelChunks.For(n, (start, end, _) =>
        {
            for (int i = start; i < end; i++)
                Row(x, n, d, i, k, idx.AsSpan(i * k, k), dist.AsSpan(i * k, k));
        });
        indices = idx;
        squaredDistances = dist;
    }

    /// <summary>The <paramref name="k"/> nearest rows to row <paramref name="i"/>, sorted, by insertion into a bounded sorted list.</summary>
    public static void Row(double[] x, int n, int d, int i, int k, Span<int> idx, Span<double> dist)
    {
        int filled = 0;
        for (int j = 0; j < n; j++)
        {
            if (j == i) continue;
            double dj = PointMatrix.SquaredDistance(x, d, i, j);
            // j increases, so an equal distance never displaces an earlier (smaller) index.
            if (filled == k && dj >= dist[k - 1]) continue;
            int pos = filled == k ? k - 1 : filled++;
            while (pos > 0 && dist[pos - 1] > dj)
            {
                dist[pos] = dist[pos - 1];
                idx[pos] = idx[pos - 1];
                pos--;
            }
            dist[pos] = dj;
            idx[pos] = j;
        }
    }
}
