using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.WeightSpace;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 001's subspace test (E1.7, Fort et al. Fig. 5): weights sampled around the first run's solution θ* by four methods
/// (random directions, dropout masks, diagonal and low-rank Gaussians fitted to the second half of its trajectory), scored
/// on the test set against θ*, beside the other runs' final solutions. The claim: no sample is as accurate and as far
/// from θ* as an independent run.
/// </summary>
/// <param name="Sampling">θ*'s predictions and every sample's accuracy and disagreement with it.</param>
/// <param name="IndependentRuns">Each other run's final solution: its disagreement with θ* and its test accuracy.</param>
public sealed record SubspaceVersusIndependentRuns(SubspaceSamplingResult Sampling, IReadOnlyList<(double Disagreement, double Accuracy)> IndependentRuns)
{
    /// <summary>Standard-deviation multipliers of the two Gaussian samplers.</summary>
    public static readonly IReadOnlyList<double> GaussianScales = [1.0, 2.0, 4.0];

    /// <summary>Rank of the low-rank Gaussian.</summary>
    public const int LowRank = 5;

    /// <summary>
    /// Samples around <c>runs[0]</c> (trained <paramref name="epochs"/> epochs, recorded every epoch by <see cref="TrajectoryRun.Train"/>)
    /// <paramref name="samplesPerSetting"/> weight vectors per method and scale, weights only (biases kept), with seeds 1 to 4 in the
    /// order above; the Gaussians are fitted to the checkpoints of epochs E/2 to E. The first run's model is left as it was.
    /// </summary>
    public static SubspaceVersusIndependentRuns Run(IReadOnlyList<TrajectoryRun> runs, TensorDataset test, int epochs, int samplesPerSetting)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(test);
        if (runs.Count < 2) throw new ArgumentException($"the samples are compared with independent runs: needs at least 2 runs, got {runs.Count}.", nameof(runs));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSetting, 1);
        var theta = runs[0].Model;
        var iterates = runs[0].Points.Where(p => p.Epoch + 1 >= Math.Max(1, epochs / 2)).Select(p => p.Weights).ToList();
        var gaussian = new GaussianSubspaceOptions { Scales = [.. GaussianScales], SamplesPerScale = samplesPerSetting };
        var samples = new List<WeightSample>();
        samples.AddRange(SubspaceSampling.RandomDirections(theta, new RandomSubspaceOptions { IncludeBiases = false, DirectionsPerScale = samplesPerSetting, Seed = 1 }));
        samples.AddRange(SubspaceSampling.DropoutMasks(theta, new DropoutSubspaceOptions { SamplesPerProbability = samplesPerSetting, Seed = 2 }));
        samples.AddRange(SubspaceSampling.DiagonalGaussian(iterates, gaussian with { Seed = 3 }));
        samples.AddRange(SubspaceSampling.LowRankGaussian(iterates, gaussian with { Rank = LowRank, Seed = 4 }));
        var sampling = SubspaceSampling.Evaluate(theta, samples, test, includeBiases: false);
        var independent = runs.Skip(1)
            .Select(r => (DiversityMetric.Disagreement(r.Points[^1].Predictions, sampling.BasePredictions), r.Points[^1].Accuracy))
            .ToList();
        return new SubspaceVersusIndependentRuns(sampling, independent);
    }

    /// <summary>Samples whose accuracy is within <paramref name="points"/> percentage points below θ*'s (or above it).</summary>
    public IReadOnlyList<SubspaceSample> NearBase(double points = 1.0) =>
        Sampling.Samples.Where(s => s.Accuracy >= Sampling.BaseAccuracy - points / 100).ToList();

    /// <summary>Samples as accurate as some independent run and at least as far from θ* as it: what the claim says does not exist.</summary>
    public IReadOnlyList<SubspaceSample> Dominating =>
        Sampling.Samples.Where(s => IndependentRuns.Any(i => s.Accuracy >= i.Accuracy && s.DisagreementWithBase >= i.Disagreement)).ToList();

    /// <summary>The sample that disagrees most with θ* (the first such one), or null without samples.</summary>
    public SubspaceSample? MostDiverse => Sampling.Samples.MaxBy(s => s.DisagreementWithBase);

    /// <summary>Mean test accuracy of the independent runs.</summary>
    public double IndependentMeanAccuracy => IndependentRuns.Average(i => i.Accuracy);

    /// <summary>Mean disagreement of the independent runs with θ*.</summary>
    public double IndependentMeanDisagreement => IndependentRuns.Average(i => i.Disagreement);
}
