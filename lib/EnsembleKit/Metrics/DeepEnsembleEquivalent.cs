namespace EnsembleKit.Metrics;

/// <summary>
/// Deep ensemble equivalent (DEE, Ashukha et al. 2020): the size of an independently trained deep ensemble
/// whose calibrated NLL equals a method's, read off the deep ensemble's NLL-vs-size curve by linear
/// interpolation between integer sizes.
/// </summary>
public static class DeepEnsembleEquivalent
{
    /// <summary>
    /// <paramref name="deepEnsembleNll"/>[k-1] is the calibrated NLL of a deep ensemble of k members (k = 1..K,
    /// decreasing). Returns the equivalent size: 1 when the method is no better than one member, K when it is
    /// as good as the largest ensemble measured or better (the curve does not extend further).
    /// </summary>
    public static double FromCurve(IReadOnlyList<double> deepEnsembleNll, double methodNll)
    {
        ArgumentNullException.ThrowIfNull(deepEnsembleNll);
        if (deepEnsembleNll.Count == 0) throw new ArgumentException("the deep-ensemble curve is empty.", nameof(deepEnsembleNll));
        // A NaN would fail every comparison below and read as "as good as the largest ensemble".
        if (!double.IsFinite(methodNll)) throw new ArgumentException($"methodNll must be finite; got {methodNll}.", nameof(methodNll));
        for (int k = 0; k < deepEnsembleNll.Count; k++)
            if (!double.IsFinite(deepEnsembleNll[k]))
                throw new ArgumentException($"deepEnsembleNll[{k}] (an ensemble of {k + 1}) must be finite; got {deepEnsembleNll[k]}.", nameof(deepEnsembleNll));
        if (methodNll >= deepEnsembleNll[0]) return 1;
        for (int k = 1; k < deepEnsembleNll.Count; k++)
        {
            double before = deepEnsembleNll[k - 1], after = deepEnsembleNll[k];
            if (methodNll >= after && before > after)
                return k + (before - methodNll) / (before - after);
        }
        return deepEnsembleNll.Count;
    }
}
