namespace EnsembleKit.Subnetworks;

/// <summary>
/// Every measured grid setting (sparsity-major, then strength, in the options' order) and the choice among them.
/// <see cref="Best"/> is the accepted setting (mean KL ≤ Δ) whose mean KL is largest, i.e. the one closest to the
/// trust-region boundary from inside (seed 002: "target a divergence score that represents the boundary"), ties broken
/// by higher validation accuracy; null when no setting stays within the bound.
/// </summary>
public sealed record TrustRegionResult(IReadOnlyList<TrustRegionPoint> Points, double Bound, double ParentAccuracy)
{
    public IReadOnlyList<TrustRegionPoint> Accepted => Points.Where(p => p.WithinBound).ToList();

    public TrustRegionPoint? Best => Points.Where(p => p.WithinBound)
        .OrderByDescending(p => p.MeanKl).ThenByDescending(p => p.MeanAccuracy).FirstOrDefault();

    /// <summary><see cref="Best"/>, or an <see cref="InvalidOperationException"/> naming the smallest divergence measured.</summary>
    public TrustRegionPoint Require()
    {
        if (Best is { } best) return best;
        var closest = Points.OrderBy(p => p.MeanKl).First();
        throw new InvalidOperationException(
            $"no grid setting kept the mean KL(parent || child) within the bound {Bound}: the smallest was {closest.MeanKl:G4} " +
            $"(sigma {closest.Sigma}, sparsity {closest.Sparsity}); try smaller strengths, higher sparsities or a larger bound.");
    }
}
