using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Uncertainty;

/// <summary>
/// The coverage guarantee of split conformal prediction, checked by averaging the empirical coverage over many random
/// calibration/test splits of one fixed synthetic dataset.
/// </summary>
/// <remarks>
/// Why a fixed dataset is enough: conditional on the multiset of N samples, a random split makes a test sample and the
/// n calibration samples a uniformly random (n + 1)-subset with the test sample at a uniform position, so when scores
/// do not tie P(covered) = k/(n + 1) exactly, with k = ceil((n + 1)(1 − α)) ≥ (n + 1)(1 − α). This holds whether or not
/// the model is calibrated. Randomised APS has continuous scores, LAC on continuous probabilities too; non-randomised
/// APS ties (the last-ranked class always scores 1) and may only over-cover.
///
/// Tolerance: the coverage of one split has variance at most c(1 − c)/(n + 2) (the Beta(k, n + 1 − k) spread of the
/// coverage given the calibration split) plus c(1 − c)/m (binomial noise of m test samples), c = k/(n + 1); the mean
/// of S independent splits has that over S. We allow 4 standard deviations. With n = 49, m = 500, S = 200 this is
/// 0.008–0.017 for α = 0.05–0.2, below the 1/(n + 1) = 0.02 an off-by-one in k would shift the mean by, so the exact
/// expectation is checked as well as the guarantee. The seeds are fixed, so the test is deterministic.
/// </remarks>
public class ConformalCoverageTests
{
    const int Samples = 2000, Classes = 10, Calibration = 49, Test = 500, Splits = 200;

    /// <summary>
    /// A fixed dataset: logistic-normal ("Dirichlet-like") probabilities softmax(1.5 z), z ~ N(0, 1)^C, and labels drawn
    /// from softmax(1.5 z / <paramref name="overconfidence"/>): 1 is a calibrated model, 3 one that is three times too sharp.
    /// </summary>
    static (Tensor Probs, Tensor Targets) Dataset(double overconfidence)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(2024);
        var z = randn(new long[] { Samples, Classes }, generator: generator, dtype: ScalarType.Float64) * 1.5;
        var targets = multinomial((z / overconfidence).softmax(1), 1, generator: generator).squeeze(1);
        return (z.softmax(1).MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    /// <summary>Mean empirical coverage over <see cref="Splits"/> seeded random splits.</summary>
    static double MeanCoverage(Tensor probs, Tensor targets, double alpha, ConformalScore score)
    {
        using var generator = new Generator(7);
        double total = 0;
        for (int s = 0; s < Splits; s++)
        {
            using var scope = NewDisposeScope();
            var order = randperm(Samples, generator: generator);
            var cal = order[..Calibration];
            var test = order[Calibration..(Calibration + Test)];
            // A new APS seed per split, so that the splits' draws are independent too.
            var sets = ConformalPrediction.Split(probs.index_select(0, cal), targets.index_select(0, cal),
                probs.index_select(0, test), targets.index_select(0, test), alpha, score, seed: s);
            total += sets.Coverage!.Value;
        }
        return total / Splits;
    }

    static double Tolerance(double c) => 4 * Math.Sqrt(c * (1 - c) * (1.0 / (Calibration + 2) + 1.0 / Test) / Splits);

    [Theory]
    [InlineData(ConformalScore.Lac, 0.05)]
    [InlineData(ConformalScore.Lac, 0.1)]
    [InlineData(ConformalScore.Lac, 0.2)]
    [InlineData(ConformalScore.Aps, 0.05)]
    [InlineData(ConformalScore.Aps, 0.1)]
    [InlineData(ConformalScore.Aps, 0.2)]
    public void CoverageIsOneMinusAlphaOnACalibratedModel(ConformalScore score, double alpha) =>
        AssertExactCoverage(score, alpha, overconfidence: 1);

    [Theory]
    [InlineData(ConformalScore.Lac, 0.1)]
    [InlineData(ConformalScore.Aps, 0.1)]
    public void CoverageHoldsForAMiscalibratedModel(ConformalScore score, double alpha) =>
        AssertExactCoverage(score, alpha, overconfidence: 3);

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    public void NonRandomizedApsCoversAtLeastOneMinusAlpha(double alpha)
    {
        var (probs, targets) = Dataset(overconfidence: 1);
        using (probs) using (targets)
        {
            double c = ConformalCalibrator.QuantileRank(Calibration, alpha) / (double)(Calibration + 1);
            double mean = MeanCoverage(probs, targets, alpha, ConformalScore.ApsNonRandomized);
            Assert.True(mean >= 1 - alpha - Tolerance(c), $"mean coverage {mean:F4} < 1 - alpha = {1 - alpha} by more than {Tolerance(c):F4}");
        }
    }

    static void AssertExactCoverage(ConformalScore score, double alpha, double overconfidence)
    {
        var (probs, targets) = Dataset(overconfidence);
        using (probs) using (targets)
        {
            double c = ConformalCalibrator.QuantileRank(Calibration, alpha) / (double)(Calibration + 1);
            double tolerance = Tolerance(c);
            double mean = MeanCoverage(probs, targets, alpha, score);
            Assert.True(mean >= 1 - alpha - tolerance, $"mean coverage {mean:F4} < 1 - alpha = {1 - alpha} by more than {tolerance:F4}");
            Assert.True(Math.Abs(mean - c) <= tolerance, $"mean coverage {mean:F4} is not k/(n+1) = {c:F4} within {tolerance:F4}");
        }
    }
}
