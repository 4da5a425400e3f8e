namespace EnsembleKit.Diversity;

/// <summary>
/// Seed 001's checkpoint × checkpoint views of one or more recorded trajectories (<see cref="TrajectoryRecorder.Points"/>,
/// several runs concatenated in any order): prediction disagreement, weight cosine and the rows t-SNE embeds.
/// All points must come from one test set (same N and C) and, for weights, one architecture and bias setting.
/// Results are plain arrays; no tensor is left for the caller.
/// </summary>
public static class TrajectoryMatrices
{
    /// <summary>
    /// Disagreement <c>[P, P]</c>: entry (i, j) is the fraction of the N test inputs whose predicted class differs between
    /// checkpoints i and j (<see cref="DiversityMetric.Disagreement(int[], int[])"/>). Symmetric, zero diagonal.
    /// </summary>
    public static double[,] Disagreement(IReadOnlyList<TrajectoryPoint> points)
    {
        RequireSameTestSet(points);
        int p = points.Count;
        var matrix = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = i + 1; j < p; j++)
                matrix[i, j] = matrix[j, i] = DiversityMetric.Disagreement(points[i].Predictions, points[j].Predictions);
        return matrix;
    }

    /// <summary>Cosine similarity <c>[P, P]</c> of the checkpoints' flattened weights (<see cref="DiversityMetric.WeightCosineMatrix(IReadOnlyList{float[]})"/>).</summary>
    public static double[,] WeightCosine(IReadOnlyList<TrajectoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("no trajectory points.", nameof(points));
        return DiversityMetric.WeightCosineMatrix(points.Select(p => p.Weights).ToList());
    }

    /// <summary>
    /// One row per checkpoint holding its test-set softmax outputs flattened (input-major, N·C values): the
    /// <c>[P, N·C]</c> float64 array seed 001 embeds with t-SNE (its <c>(trajectories, epochs, N, C)</c> array with the
    /// first two axes merged).
    /// </summary>
    public static double[,] ProbabilityRows(IReadOnlyList<TrajectoryPoint> points)
    {
        RequireSameTestSet(points);
        int p = points.Count, d = points[0].Probabilities.Length;
        var rows = new double[p, d];
        for (int i = 0; i < p; i++)
        {
            var probs = points[i].Probabilities;
            if (probs.Length != d)
                throw new ArgumentException($"point {i} holds {probs.Length} probabilities but point 0 holds {d}.", nameof(points));
            for (int k = 0; k < d; k++) rows[i, k] = probs[k];
        }
        return rows;
    }

    static void RequireSameTestSet(IReadOnlyList<TrajectoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("no trajectory points.", nameof(points));
        for (int i = 1; i < points.Count; i++)
            if (points[i].Count != points[0].Count || points[i].Classes != points[0].Classes)
                throw new ArgumentException($"point {i} covers {points[i].Count} inputs x {points[i].Classes} classes but point 0 covers {points[0].Count} x {points[0].Classes}: they are not from one test set.", nameof(points));
    }
}
