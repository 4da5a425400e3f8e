using static TorchSharp.torch;

namespace EnsembleKit.Uncertainty;

/// <summary>Split conformal prediction in one call: fit on the calibration split, predict the test split.</summary>
public static class ConformalPrediction
{
    /// <summary>
    /// Fits a <see cref="ConformalCalibrator"/> on <paramref name="calibrationProbs"/> <c>[n, C]</c> and
    /// <paramref name="calibrationTargets"/> <c>[n]</c> int64, then returns the sets of <paramref name="testProbs"/>
    /// <c>[N, C]</c>, with their coverage when <paramref name="testTargets"/> <c>[N]</c> int64 are given. The definitions,
    /// the quantile rule and the seeding are those of <see cref="ConformalCalibrator"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="ConformalCalibrator.Fit"/> and <see cref="ConformalCalibrator.Predict"/>.</exception>
    public static ConformalSets Split(Tensor calibrationProbs, Tensor calibrationTargets, Tensor testProbs, Tensor? testTargets,
        double alpha, ConformalScore score, long seed = 0) =>
        ConformalCalibrator.Fit(calibrationProbs, calibrationTargets, alpha, score, seed).Predict(testProbs, testTargets);
}
