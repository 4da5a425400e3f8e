namespace EnsembleKit.Data;

/// <summary>
/// Settings of the multi-view synthetic data of Allen-Zhu and Li (2020), as seed 003 describes it: every class has two
/// features ("views"); most samples show both, a fraction <see cref="SingleViewFraction"/> shows only one (half each).
/// Every sample is <see cref="Patches"/> patches of dimension <see cref="Dimension"/>; view patches carry the class's
/// features, every patch carries Gaussian noise and a little "feature noise" from other classes (weight
/// <see cref="FeatureNoise"/>; the slides use 0.1).
/// </summary>
public sealed record MultiViewOptions
{
    public int Classes { get; init; } = 10;
    public int Dimension { get; init; } = 100;
    public int Patches { get; init; } = 8;
    /// <summary>How many patches carry each present view.</summary>
    public int PatchesPerView { get; init; } = 2;
    /// <summary>The slides' mu: 10 % + 10 % single-view samples.</summary>
    public double SingleViewFraction { get; init; } = 0.2;
    /// <summary>Weight of the other classes' features present in non-view patches (0.1 in the slides).</summary>
    public double FeatureNoise { get; init; } = 0.1;
    /// <summary>Standard deviation of each coordinate of the Gaussian noise in every patch.</summary>
    public double NoiseStd { get; init; } = 0.1;
    /// <summary>
    /// Controls the data: false gives multi-view data; true gives the Gaussian-like control of the same shape, whose
    /// labels come from a fixed random linear teacher applied to the sum of pure Gaussian patches (seed 003, E3.3).
    /// </summary>
    public bool GaussianControl { get; init; }

    public void Validate()
    {
        if (Classes < 2) throw new ArgumentOutOfRangeException(nameof(Classes), $"need at least 2 classes; got {Classes}.");
        if (Dimension < 2 * Classes) throw new ArgumentOutOfRangeException(nameof(Dimension), $"{Classes} classes need {2 * Classes} orthogonal features, so the dimension must be at least that; got {Dimension}.");
        if (PatchesPerView <= 0 || 2 * PatchesPerView > Patches)
            throw new ArgumentOutOfRangeException(nameof(PatchesPerView), $"two views of {PatchesPerView} patches each must fit in {Patches} patches.");
        if (SingleViewFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(SingleViewFraction), $"must be in [0, 1]; got {SingleViewFraction}.");
        if (FeatureNoise < 0 || NoiseStd < 0) throw new ArgumentOutOfRangeException(nameof(NoiseStd), "noise levels must be non-negative.");
    }
}
