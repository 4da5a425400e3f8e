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

    /// <summary>The sparsities of the grid, in the options' order (the rows of <see cref="Grid"/>).</summary>
    public IReadOnlyList<double> Sparsities => Points.Select(p => p.Sparsity).Distinct().ToList();

    /// <summary>The noise strengths of the grid, in the options' order (the columns of <see cref="Grid"/>).</summary>
    public IReadOnlyList<double> Strengths => Points.Select(p => p.Sigma).Distinct().ToList();

    /// <summary>The point measured at one sparsity and strength.</summary>
    public TrustRegionPoint At(double sparsity, double sigma) =>
        Points.SingleOrDefault(p => p.Sparsity == sparsity && p.Sigma == sigma)
        ?? throw new ArgumentException($"the grid has no point at sparsity {sparsity}, sigma {sigma}; it has sparsities "
            + $"[{string.Join(", ", Sparsities)}] and strengths [{string.Join(", ", Strengths)}].");

    /// <summary>A value of every point as a <c>[sparsity, strength]</c> table (rows <see cref="Sparsities"/>, columns
    /// <see cref="Strengths"/>), e.g. for a heatmap of mean accuracy or mean KL.</summary>
    public double[,] Grid(Func<TrustRegionPoint, double> value)
    {
        var sparsities = Sparsities;
        var strengths = Strengths;
        var grid = new double[sparsities.Count, strengths.Count];
        for (int i = 0; i < sparsities.Count; i++)
            for (int j = 0; j < strengths.Count; j++) grid[i, j] = value(At(sparsities[i], strengths[j]));
        return grid;
    }

    /// <summary>The points measured at <paramref name="sparsity"/>, by increasing strength.</summary>
    public IReadOnlyList<TrustRegionPoint> AtSparsity(double sparsity)
    {
        var points = Points.Where(p => p.Sparsity == sparsity).OrderBy(p => p.Sigma).ToList();
        return points.Count > 0 ? points
            : throw new ArgumentException($"the grid has no sparsity {sparsity}; it has [{string.Join(", ", Sparsities)}].", nameof(sparsity));
    }

    /// <summary>How many accuracy points the children lose on average at <paramref name="point"/>: parent minus mean child, in percent.</summary>
    public double AccuracyDrop(TrustRegionPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return ParentAccuracy * 100 - point.MeanAccuracy * 100;
    }

    /// <summary>
    /// The largest strength at <paramref name="sparsity"/> whose children lose at most <paramref name="maxDropPoints"/>
    /// accuracy points on average (<see cref="AccuracyDrop"/>); 0 when none does. Seed 002's spiral figure: sparse
    /// mutations tolerate larger noise than dense ones.
    /// </summary>
    public double ToleratedSigma(double sparsity, double maxDropPoints = 1.0)
    {
        if (!(maxDropPoints >= 0)) throw new ArgumentOutOfRangeException(nameof(maxDropPoints), $"the tolerated drop must be at least 0 points; got {maxDropPoints}.");
        return AtSparsity(sparsity).Where(p => AccuracyDrop(p) <= maxDropPoints).Select(p => p.Sigma).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// Pearson's correlation of mean KL and <see cref="AccuracyDrop"/> over the points with mean KL at most
    /// <paramref name="maxKl"/> (before the children collapse), and how many points that is; seed 002 finds the two
    /// close to linear. NaN with fewer than two points.
    /// </summary>
    public (double Pearson, int Points) KlDropCorrelation(double maxKl)
    {
        var moderate = Points.Where(p => p.MeanKl <= maxKl).ToList();
        if (moderate.Count < 2) return (double.NaN, moderate.Count);
        return (Metrics.SampleStatistics.Pearson(moderate.Select(p => p.MeanKl).ToList(), moderate.Select(AccuracyDrop).ToList()), moderate.Count);
    }

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
