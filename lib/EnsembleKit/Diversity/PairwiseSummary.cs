namespace EnsembleKit.Diversity;

/// <summary>
/// Mean, population standard deviation, minimum and maximum of the off-diagonal entries of a pairwise matrix
/// (ordered pairs i ≠ j; for a symmetric matrix the same as over unordered pairs), as S2 reports "mean ± std" over pairs.
/// </summary>
public sealed record PairwiseSummary(double Mean, double Std, double Min, double Max, int Pairs)
{
    /// <summary>Summarises the off-diagonal entries of a square matrix with at least two rows.</summary>
    public static PairwiseSummary Of(double[,] matrix)
    {
        int m = matrix.GetLength(0);
        if (matrix.GetLength(1) != m) throw new ArgumentException($"the matrix must be square; got [{m}, {matrix.GetLength(1)}].", nameof(matrix));
        if (m < 2) throw new ArgumentException($"a pairwise summary needs at least 2 members; got {m}.", nameof(matrix));
        var values = new List<double>(m * (m - 1));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                if (i != j) values.Add(matrix[i, j]);
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        return new PairwiseSummary(mean, std, values.Min(), values.Max(), values.Count);
    }

    public override string ToString() => $"{Mean:F4} ± {Std:F4} over {Pairs} ordered pairs";
}
