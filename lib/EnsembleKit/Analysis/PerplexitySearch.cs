namespace EnsembleKit.Analysis;

/// <summary>
/// Per-point Gaussian bandwidth of t-SNE: binary search on the precision β so that the conditional distribution
/// <c>p_j|i ∝ exp(-β d²_ij)</c> over the given neighbours has entropy ln(perplexity) (nats), as scikit-learn's
/// <c>_binary_search_perplexity</c> (tolerance 1e-5, at most 100 halvings/doublings).
/// </summary>
internal static class PerplexitySearch
{
    public const double Tolerance = 1e-5;
    public const int MaxSteps = 100;

    /// <summary>
    /// Fills <paramref name="p"/> with the calibrated conditional probabilities (summing to 1) for the squared
    /// distances <paramref name="squaredDistances"/>; returns β. Distances are shifted by their minimum before
    /// exponentiating (the normalised p is unchanged), so large distances cannot underflow to an all-zero row.
    /// </summary>
    public static double Calibrate(ReadOnlySpan<double> squaredDistances, double perplexity, Span<double> p)
    {
        int m = squaredDistances.Length;
        double min = double.PositiveInfinity, mean = 0;
        for (int j = 0; j < m; j++) min = Math.Min(min, squaredDistances[j]);
        for (int j = 0; j < m; j++) mean += squaredDistances[j] - min;
        mean /= m;
        double desired = Math.Log(perplexity);
        double beta = mean > 0 ? 1 / mean : 1, betaMin = 0, betaMax = double.PositiveInfinity;
        for (int step = 0; step < MaxSteps; step++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < m; j++)
            {
                double shifted = squaredDistances[j] - min;
                double v = Math.Exp(-shifted * beta);
                p[j] = v;
                sum += v;
                weighted += shifted * v;
            }
            // sum >= 1 (the nearest neighbour contributes exp(0)).
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < m; j++) p[j] /= sum;
            double diff = entropy - desired;
            if (Math.Abs(diff) <= Tolerance) break;
            if (diff > 0)
            {
                betaMin = beta;
                beta = double.IsPositiveInfinity(betaMax) ? beta * 2 : (beta + betaMax) / 2;
            }
            else
            {
                betaMax = beta;
                beta = betaMin == 0 ? beta / 2 : (beta + betaMin) / 2;
            }
        }
        return beta;
    }
}
