namespace EnsembleKit.Analysis;

/// <summary>
/// Trustworthiness of an embedding (Venna and Kaski 2001), as scikit-learn's <c>sklearn.manifold.trustworthiness</c>:
/// <c>T(k) = 1 - 2 / (n k (2n - 3k - 1)) · Σ_i Σ_{j ∈ U_i(k)} max(0, r(i, j) - k)</c>, where U_i(k) are the k nearest
/// neighbours of i in the embedding and r(i, j) is the rank of j among i's neighbours by input-space distance
/// (1 = nearest). 1 means every embedded neighbour is also an input-space neighbour; intruders from far away cost most.
/// Distances are Euclidean; ties are ranked by the smaller index.
/// </summary>
public static class Trustworthiness
{
    /// <summary>
    /// <paramref name="highDim"/>: input points <c>[N, D]</c>; <paramref name="embedding"/>: the same points embedded
    /// <c>[N, E]</c>; <paramref name="k"/>: neighbourhood size, 1 ≤ k &lt; N/2. Returns a value in [0, 1] (can dip
    /// below 0 only for k near N/2 with adversarial embeddings).
    /// </summary>
    public static double Score(double[,] highDim, double[,] embedding, int k = 5)
    {
        var x = PointMatrix.Flatten(highDim, nameof(highDim));
        var y = PointMatrix.Flatten(embedding, nameof(embedding));
        int n = highDim.GetLength(0), d = highDim.GetLength(1), e = embedding.GetLength(1);
        if (embedding.GetLength(0) != n)
            throw new ArgumentException($"embedding has {embedding.GetLength(0)} rows [{embedding.GetLength(0)}, {e}] but highDim has {n} [{n}, {d}].", nameof(embedding));
        if (k < 1 || k >= n / 2.0)
            throw new ArgumentOutOfRangeException(nameof(k), $"k must satisfy 1 <= k < N/2 = {n / 2.0}; got {k}.");

        var penalty = new double[n];
        ParallelChunks.For(n, (start, end, _) =>
        {
            var dist = new double[n];
            var neighbours = new int[k];
            var neighbourDist = new double[k];
            for (int i = start; i < end; i++)
            {
                NearestNeighbours.Row(y, n, e, i, k, neighbours, neighbourDist);
                for (int j = 0; j < n; j++) dist[j] = PointMatrix.SquaredDistance(x, d, i, j);
                long sum = 0;
                foreach (int j in neighbours)
                {
                    // Rank of j in i's input-space ordering = 1 + number of points ordered before it.
                    int rank = 1;
                    double dj = dist[j];
                    for (int l = 0; l < n; l++)
                        if (l != i && (dist[l] < dj || (dist[l] == dj && l < j))) rank++;
                    if (rank > k) sum += rank - k;
                }
                penalty[i] = sum;
            }
        });
        double total = penalty.Sum();
        return 1 - total * (2.0 / (n * (double)k * (2.0 * n - 3.0 * k - 1.0)));
    }
}
