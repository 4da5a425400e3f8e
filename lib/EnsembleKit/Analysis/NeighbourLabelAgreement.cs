namespace EnsembleKit.Analysis;

/// <summary>
/// How well an embedding keeps labelled groups apart: <paramref name="Agreement"/> is the fraction of (point, neighbour)
/// pairs, over each point's <paramref name="K"/> nearest other points, whose labels match; <paramref name="Chance"/> is its
/// expected value when labels are shuffled, <c>Σ_g n_g (n_g − 1) / (n (n − 1))</c>. Agreement 1 means every point's
/// neighbourhood lies in its own group (e.g. every t-SNE trajectory is its own track).
/// </summary>
public sealed record NeighbourAgreement(double Agreement, double Chance, int Points, int K)
{
    public override string ToString() => $"{Agreement:P1} of {K}-nearest neighbours share the label (chance {Chance:P1}, {Points} points)";
}

/// <summary>Nearest-neighbour label agreement of an embedding (see <see cref="NeighbourAgreement"/>).</summary>
public static class NeighbourLabelAgreement
{
    /// <summary>
    /// <paramref name="embedding"/>: points <c>[N, E]</c> (e.g. <see cref="Tsne.Fit"/>'s output); <paramref name="labels"/>:
    /// N group labels (e.g. the training run of each checkpoint); <paramref name="k"/>: neighbours per point, 1 ≤ k &lt; n.
    /// With <paramref name="include"/> (N flags) only the flagged points take part, both as scored points and as neighbours
    /// (e.g. leave out the initialisations). Euclidean distances; ties go to the smaller index.
    /// </summary>
    public static NeighbourAgreement Score(double[,] embedding, IReadOnlyList<string> labels, int k = 1, IReadOnlyList<bool>? include = null)
    {
        var flat = PointMatrix.Flatten(embedding, nameof(embedding));
        int n = embedding.GetLength(0), e = embedding.GetLength(1);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != n) throw new ArgumentException($"{labels.Count} labels for {n} points.", nameof(labels));
        if (include is not null && include.Count != n) throw new ArgumentException($"{include.Count} include flags for {n} points.", nameof(include));
        var kept = Enumerable.Range(0, n).Where(i => include?[i] ?? true).ToArray();
        int m = kept.Length;
        if (k < 1 || k > m - 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be in [1, {m - 1}] for {m} included points; got {k}.");
        var x = new double[m * e];
        for (int i = 0; i < m; i++) Array.Copy(flat, kept[i] * e, x, i * e, e);
        NearestNeighbours.Search(x, m, e, k, out var indices, out _);
        long same = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++)
                if (labels[kept[i]] == labels[kept[indices[i * k + j]]]) same++;
        double pairs = 0;
        foreach (var g in kept.GroupBy(i => labels[i])) pairs += (double)g.Count() * (g.Count() - 1);
        return new NeighbourAgreement((double)same / ((long)m * k), pairs / ((double)m * (m - 1)), m, k);
    }
}
