namespace EnsembleKit.WeightSpace;

/// <summary>
/// Gaussian subspaces fitted to iterates of one run (e.g. <see cref="Diversity.TrajectoryRecorder"/> weights from the last epochs):
/// diagonal (SWAG-diagonal: per-coordinate mean and standard deviation) or low-rank (mean plus the top
/// <see cref="Rank"/> principal components of the iterates). Samples are <c>μ + s·(noise with the fitted covariance)</c>
/// for each multiplier s in <see cref="Scales"/>.
/// </summary>
public sealed record GaussianSubspaceOptions
{
    public IReadOnlyList<double> Scales { get; init; } = [1.0];
    public int SamplesPerScale { get; init; } = 10;
    /// <summary>Low-rank only: number of principal components (at most iterates − 1).</summary>
    public int Rank { get; init; } = 5;
    public long Seed { get; init; }
}
