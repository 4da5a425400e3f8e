namespace EnsembleKit.Uncertainty;

/// <summary>
/// Selective prediction: a model answers only its most confident samples and abstains on the rest. Inputs are
/// <c>confidence</c> (finite, higher = more confident, e.g. <see cref="UncertaintyScores.InDistributionScore"/> of the
/// ensemble) and <c>correct</c> (whether each sample's prediction is right), one entry per sample, N ≥ 1.
/// </summary>
/// <remarks>
/// Ties: samples with equal confidence cannot be ranked against each other, so within a tie group the risk at coverage
/// k is its expectation over a uniformly random order of the group. If the group starts after <c>a</c> samples with
/// <c>E</c> errors and holds <c>g</c> samples with <c>e</c> errors, accepting <c>j</c> of it (k = a + j) gives risk
/// <c>(E + j·e/g) / k</c>. The result does not depend on the order of the inputs, and AURC is the mean AURC over
/// random tie-breaking. Without ties this is the plain sorted error rate.
/// </remarks>
public static class SelectivePrediction
{
    /// <summary>
    /// Risk-coverage curve: sort by confidence descending; at coverage k/N (k = 1..N) the risk is the error rate among
    /// the k accepted samples (ties: see the class remarks).
    /// </summary>
    public static RiskCoverageCurve RiskCoverage(double[] confidence, bool[] correct)
    {
        UncertaintyInput.RequireScores(confidence, nameof(confidence));
        UncertaintyInput.RequireSameLength(confidence, correct, nameof(correct));
        int n = confidence.Length;
        var sorted = (double[])confidence.Clone();
        var wrong = correct.Select(c => !c).ToArray();
        Array.Sort(sorted, wrong);
        Array.Reverse(sorted);
        Array.Reverse(wrong);
        var coverage = new double[n];
        var risk = new double[n];
        long errorsBefore = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            long groupErrors = 0;
            while (end < n && sorted[end] == sorted[start]) { if (wrong[end]) groupErrors++; end++; }
            int size = end - start;
            for (int j = 1; j <= size; j++)
            {
                int k = start + j;
                coverage[k - 1] = k / (double)n;
                risk[k - 1] = (errorsBefore + j * (double)groupErrors / size) / k;
            }
            errorsBefore += groupErrors;
            start = end;
        }
        return new RiskCoverageCurve(coverage, risk, sorted);
    }

    /// <summary>
    /// Area under the risk-coverage curve, defined as the mean of the risks at the coverages k/N, k = 1..N:
    /// <c>AURC = (1/N) Σ_k risk(k/N)</c> (a right Riemann sum; Geifman et al. 2019). Lower is better; ties as in
    /// <see cref="RiskCoverage"/>.
    /// </summary>
    public static double Aurc(double[] confidence, bool[] correct) => RiskCoverage(confidence, correct).Risk.Average();

    /// <summary>
    /// AURC of the oracle that accepts every correct sample before any error, for N samples with
    /// <paramref name="errors"/> errors: <c>(1/N) Σ_{k = N-e+1..N} (k - (N - e)) / k</c>; 0 when there are no errors.
    /// </summary>
    public static double OracleAurc(int samples, int errors)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"samples: {samples}; at least one is needed.");
        if (errors < 0 || errors > samples) throw new ArgumentOutOfRangeException(nameof(errors), errors, $"errors: {errors} is outside [0, {samples}].");
        double sum = 0;
        for (int k = samples - errors + 1; k <= samples; k++) sum += (k - (samples - errors)) / (double)k;
        return sum / samples;
    }

    /// <summary>
    /// Excess AURC, <c>AURC - OracleAurc(N, errors)</c>: what the confidence ranking costs beyond the errors themselves;
    /// 0 for a perfect ranking, never negative (up to rounding): every tie-breaking order is a ranking, none beats the oracle.
    /// </summary>
    public static double EAurc(double[] confidence, bool[] correct)
    {
        double aurc = Aurc(confidence, correct);
        return aurc - OracleAurc(correct.Length, correct.Count(c => !c));
    }

    /// <summary>
    /// Accuracy among the <c>k = ⌈coverage · N⌉</c> most confident samples (at least 1), <c>1 - risk(k/N)</c>, ties as in
    /// <see cref="RiskCoverage"/>. The product is taken with a relative slack of 1e-12 so that e.g. 0.95 · 200 counts as
    /// 190, not 191. <paramref name="coverage"/> in <c>(0, 1]</c>.
    /// </summary>
    public static double AccuracyAtCoverage(double[] confidence, bool[] correct, double coverage)
    {
        UncertaintyInput.RequireFraction(coverage, nameof(coverage));
        return AccuracyAt(RiskCoverage(confidence, correct), coverage);
    }

    /// <summary>Every selective-prediction number at once, from one sort.</summary>
    public static SelectiveReport Evaluate(double[] confidence, bool[] correct)
    {
        var curve = RiskCoverage(confidence, correct);
        double aurc = curve.Risk.Average();
        double oracle = OracleAurc(correct.Length, correct.Count(c => !c));
        return new SelectiveReport(aurc, oracle, aurc - oracle,
            AccuracyAt(curve, 0.50), AccuracyAt(curve, 0.90), AccuracyAt(curve, 0.95), AccuracyAt(curve, 0.99), curve);
    }

    static double AccuracyAt(RiskCoverageCurve curve, double coverage)
    {
        int n = curve.Risk.Length;
        int k = Math.Clamp((int)Math.Ceiling(coverage * n * (1 - 1e-12)), 1, n);
        return 1 - curve.Risk[k - 1];
    }
}
