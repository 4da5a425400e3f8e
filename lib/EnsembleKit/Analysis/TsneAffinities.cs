namespace EnsembleKit.Analysis;

/// <summary>The joint probabilities P of t-SNE from high-dimensional points (squared Euclidean distances).</summary>
internal static class TsneAffinities
{
    /// <summary>Smallest off-diagonal P of the exact method (scikit-learn's MACHINE_EPSILON floor).</summary>
    public const double Floor = 2.220446049250313e-16;

    /// <summary>
    /// Exact method: conditional p_j|i over all other points calibrated to <paramref name="perplexity"/>, then
    /// <c>P = (C + Cᵀ) / sum</c>, off-diagonal entries floored at <see cref="Floor"/>, diagonal 0.
    /// <paramref name="x"/>: flat <c>[n, d]</c>. Returns flat <c>[n, n]</c>.
    /// </summary>
    public static double[] Dense(double[] x, int n, int d, double perplexity)
    {
        var conditional = new double[n * n];
        ParallelChunks.For(n, (start, end, _) =>
        {
            var dist = new double[n - 1];
            var p = new double[n - 1];
            for (int i = start; i < end; i++)
            {
                for (int j = 0, m = 0; j < n; j++)
                    if (j != i) dist[m++] = PointMatrix.SquaredDistance(x, d, i, j);
                PerplexitySearch.Calibrate(dist, perplexity, p);
                for (int j = 0, m = 0; j < n; j++)
                    if (j != i) conditional[i * n + j] = p[m++];
            }
        });
        var joint = new double[n * n];
        double total = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = conditional[i * n + j] + conditional[j * n + i];
                joint[i * n + j] = v;
                total += v;
            }
        total = Math.Max(total, Floor);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                joint[i * n + j] = i == j ? 0 : Math.Max(joint[i * n + j] / total, Floor);
        return joint;
    }

    /// <summary>Neighbours per point of the Barnes-Hut method: <c>min(n - 1, floor(3·perplexity + 1))</c> as scikit-learn.</summary>
    public static int NeighbourCount(int n, double perplexity) => Math.Min(n - 1, (int)(3 * perplexity + 1));

    /// <summary>
    /// Barnes-Hut method: conditional p_j|i over the <see cref="NeighbourCount"/> exact nearest neighbours,
    /// calibrated to <paramref name="perplexity"/>, symmetrised and normalised. <paramref name="x"/>: flat <c>[n, d]</c>.
    /// </summary>
    public static SparseAffinities Sparse(double[] x, int n, int d, double perplexity)
    {
        int k = NeighbourCount(n, perplexity);
        NearestNeighbours.Search(x, n, d, k, out var neighbours, out var distances);
        var conditional = new double[n * k];
        ParallelChunks.For(n, (start, end, _) =>
        {
            for (int i = start; i < end; i++)
                PerplexitySearch.Calibrate(distances.AsSpan(i * k, k), perplexity, conditional.AsSpan(i * k, k));
        });
        return SparseAffinities.Symmetrise(n, k, neighbours, conditional);
    }
}
