namespace EnsembleKit.Uncertainty;

/// <summary>
/// Out-of-distribution detection metrics from two score sets, <c>inScores</c> (in-distribution samples) and
/// <c>oodScores</c>, oriented so that higher = more likely in-distribution (<see cref="UncertaintyScores.InDistributionScore"/>).
/// Each set must be non-empty (both classes present) and finite. A threshold t "accepts" a sample as in-distribution
/// when its score is ≥ t; thresholds run over the distinct score values, so tied scores move together (one diagonal
/// step on the ROC curve), as in scikit-learn.
/// </summary>
public static class OodDetection
{
    /// <summary>
    /// Area under the ROC curve (in-distribution = positive), by the trapezoidal rule over <see cref="Roc"/>'s points:
    /// sklearn's <c>roc_auc_score</c>. Equals <c>P(s_in &gt; s_ood) + ½ P(s_in = s_ood)</c>: 0.5 when every score is equal,
    /// 1 when every in-distribution score exceeds every OOD score. Computed on integer counts, so exact up to one division.
    /// </summary>
    public static double Auroc(double[] inScores, double[] oodScores) =>
        AurocOf(Count(inScores, oodScores, nameof(inScores), nameof(oodScores)));

    static double AurocOf(Counts c)
    {
        // Σ Δfp · (tp_i + tp_{i-1}) / 2 over the steps, in units of one positive × one negative (twice, to stay integral).
        long twiceArea = 0, tp = 0, fp = 0;
        for (int i = 0; i < c.Tp.Length; i++)
        {
            twiceArea += (c.Fp[i] - fp) * (c.Tp[i] + tp);
            tp = c.Tp[i];
            fp = c.Fp[i];
        }
        return twiceArea / (2.0 * c.Positives * c.Negatives);
    }

    /// <summary>
    /// AUPR-In: average precision with the in-distribution samples as positives, sklearn's step-wise
    /// <c>average_precision_score</c>: <c>Σ_i (R_i - R_{i-1}) P_i</c> over the distinct thresholds in decreasing order
    /// (no interpolation). A chance-level detector scores about <c>|in| / (|in| + |ood|)</c>.
    /// </summary>
    public static double AuprIn(double[] inScores, double[] oodScores) =>
        AveragePrecision(Count(inScores, oodScores, nameof(inScores), nameof(oodScores)));

    /// <summary>
    /// AUPR-Out: average precision with the OOD samples as positives and the scores negated (so that higher = more
    /// likely OOD); otherwise as <see cref="AuprIn"/>. A chance-level detector scores about <c>|ood| / (|in| + |ood|)</c>.
    /// </summary>
    public static double AuprOut(double[] inScores, double[] oodScores) =>
        AveragePrecision(CountOut(inScores, oodScores));

    /// <summary>
    /// False-positive rate at a true-positive rate of <paramref name="tpr"/> (default 0.95, "FPR95"): the fraction of
    /// OOD samples accepted at the largest threshold t (a distinct score value) that accepts at least
    /// <paramref name="tpr"/> of the in-distribution samples, i.e. <c>|{ood ≥ t}| / |ood|</c> for the first t in decreasing
    /// order with <c>|{in ≥ t}| / |in| ≥ tpr</c>. No interpolation between thresholds: the same as reading
    /// <c>fpr[argmax(tpr_curve &gt;= 0.95)]</c> off sklearn's <c>roc_curve</c>. 0 for perfectly separated scores.
    /// <paramref name="tpr"/> in <c>(0, 1]</c>.
    /// </summary>
    public static double FprAtTpr(double[] inScores, double[] oodScores, double tpr = 0.95)
    {
        UncertaintyInput.RequireFraction(tpr, nameof(tpr));
        var c = Count(inScores, oodScores, nameof(inScores), nameof(oodScores));
        return c.Fp[TprIndex(c, tpr)] / (double)c.Negatives;
    }

    /// <summary>
    /// ROC curve points (in-distribution = positive), for charts: see <see cref="RocCurve"/>.
    /// </summary>
    public static RocCurve Roc(double[] inScores, double[] oodScores) =>
        RocOf(Count(inScores, oodScores, nameof(inScores), nameof(oodScores)));

    /// <summary>
    /// Precision-recall curve, for charts; <paramref name="oodAsPositive"/> false: in-distribution samples are positives
    /// and thresholds are scores (AUPR-In), true: OOD samples are positives and thresholds are negated scores (AUPR-Out).
    /// </summary>
    public static PrecisionRecallCurve PrecisionRecall(double[] inScores, double[] oodScores, bool oodAsPositive = false) =>
        PrOf(oodAsPositive ? CountOut(inScores, oodScores) : Count(inScores, oodScores, nameof(inScores), nameof(oodScores)));

    /// <summary>All of the above at once, sorting each direction once.</summary>
    public static OodReport Evaluate(double[] inScores, double[] oodScores)
    {
        var c = Count(inScores, oodScores, nameof(inScores), nameof(oodScores));
        var cOut = CountOut(inScores, oodScores);
        int at95 = TprIndex(c, 0.95);
        return new OodReport(
            AurocOf(c), AveragePrecision(c), AveragePrecision(cOut),
            c.Fp[at95] / (double)c.Negatives, c.Thresholds[at95],
            RocOf(c), PrOf(c), PrOf(cOut));
    }

    /// <summary>
    /// Cumulative counts at each distinct threshold, in decreasing order: <c>Tp[i]</c> positives and <c>Fp[i]</c>
    /// negatives have score ≥ <c>Thresholds[i]</c> (sklearn's <c>_binary_clf_curve</c>). The last entry counts everything.
    /// </summary>
    sealed record Counts(long[] Tp, long[] Fp, double[] Thresholds, long Positives, long Negatives);

    static Counts Count(double[] positives, double[] negatives, string positivesName, string negativesName)
    {
        UncertaintyInput.RequireScores(positives, positivesName);
        UncertaintyInput.RequireScores(negatives, negativesName);
        int n = positives.Length + negatives.Length;
        var scores = new double[n];
        var isPositive = new bool[n];
        positives.CopyTo(scores, 0);
        negatives.CopyTo(scores, positives.Length);
        for (int i = 0; i < positives.Length; i++) isPositive[i] = true;
        // Ascending sort, read from the end; the order within a tie does not matter, since a tie group is one step.
        Array.Sort(scores, isPositive);
        var tp = new List<long>();
        var fp = new List<long>();
        var thresholds = new List<double>();
        long t = 0, f = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            if (isPositive[i]) t++; else f++;
            if (i == 0 || scores[i - 1] != scores[i])
            {
                tp.Add(t);
                fp.Add(f);
                thresholds.Add(scores[i]);
            }
        }
        return new Counts(tp.ToArray(), fp.ToArray(), thresholds.ToArray(), positives.Length, negatives.Length);
    }

    /// <summary>Counts with the OOD samples as positives and every score negated (0 - s, so no -0 appears).</summary>
    static Counts CountOut(double[] inScores, double[] oodScores)
    {
        UncertaintyInput.RequireScores(inScores, nameof(inScores));
        UncertaintyInput.RequireScores(oodScores, nameof(oodScores));
        return Count(oodScores.Select(s => 0.0 - s).ToArray(), inScores.Select(s => 0.0 - s).ToArray(), nameof(oodScores), nameof(inScores));
    }

    /// <summary>Index of the first (largest) threshold whose TPR, computed as sklearn does (tp / positives), reaches <paramref name="tpr"/>.</summary>
    static int TprIndex(Counts c, double tpr)
    {
        for (int i = 0; i < c.Tp.Length; i++)
            if (c.Tp[i] / (double)c.Positives >= tpr) return i;
        return c.Tp.Length - 1; // unreachable: the last TPR is 1 and tpr ≤ 1
    }

    static double AveragePrecision(Counts c)
    {
        double ap = 0;
        long previousTp = 0;
        for (int i = 0; i < c.Tp.Length; i++)
        {
            ap += (c.Tp[i] - previousTp) / (double)c.Positives * (c.Tp[i] / (double)(c.Tp[i] + c.Fp[i]));
            previousTp = c.Tp[i];
        }
        return ap;
    }

    static RocCurve RocOf(Counts c) => new(
        [0.0, .. c.Fp.Select(f => f / (double)c.Negatives)],
        [0.0, .. c.Tp.Select(t => t / (double)c.Positives)],
        [double.PositiveInfinity, .. c.Thresholds]);

    static PrecisionRecallCurve PrOf(Counts c) => new(
        [1.0, .. c.Tp.Select((t, i) => t / (double)(t + c.Fp[i]))],
        [0.0, .. c.Tp.Select(t => t / (double)c.Positives)],
        [double.PositiveInfinity, .. c.Thresholds]);
}
