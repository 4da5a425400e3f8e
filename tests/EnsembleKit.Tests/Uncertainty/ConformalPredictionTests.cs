using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Uncertainty;

/// <summary>Hand-worked thresholds and sets of split conformal prediction, the quantile rule, and seeding.</summary>
public class ConformalPredictionTests
{
    // Probabilities are multiples of 1/32, exact in binary, so every score and cumulative mass below is exact and the
    // ties with the threshold are real ties, decided by "score <= q".
    static readonly double[,] CalibrationRows =
    {
        { 0.5, 0.375, 0.125 },   // y = 0
        { 0.125, 0.75, 0.125 },  // y = 2
        { 0.25, 0.125, 0.625 },  // y = 1
        { 0.375, 0.375, 0.25 },  // y = 1
    };
    static readonly long[] CalibrationLabels = [0, 2, 1, 1];

    static readonly double[,] TestRows =
    {
        { 0.5, 0.25, 0.25 },             // y = 0
        { 0.375, 0.5, 0.125 },           // y = 2
        { 0.25, 0.25, 0.5 },             // y = 2
        { 0.34375, 0.34375, 0.3125 },    // y = 0 (11/32, 11/32, 10/32)
    };
    static readonly long[] TestLabels = [0, 2, 2, 0];

    [Theory]
    [InlineData(4, 0.4, 3)]     // 5 * 0.6 = 3
    [InlineData(4, 0.6, 2)]     // 5 * 0.4 = 2
    [InlineData(4, 0.5, 3)]     // 5 * 0.5 = 2.5 -> 3
    [InlineData(4, 0.1, 5)]     // 5 * 0.9 = 4.5 -> 5 > n: threshold +inf
    [InlineData(9, 0.7, 3)]     // 10 * (1 - 0.7) is 3.0000000000000004 in float64; the rule still gives 3
    [InlineData(19, 0.05, 19)]  // 20 * 0.95 = 19
    [InlineData(49, 0.05, 48)]  // 50 * 0.95 = 47.5 -> 48
    [InlineData(99, 0.1, 90)]   // 100 * 0.9 = 90
    [InlineData(1, 0.999, 1)]   // 2 * 0.001 = 0.002 -> 1
    [InlineData(1, 0.4, 2)]     // 2 * 0.6 = 1.2 -> 2 > n
    public void QuantileRankIsTheCeilingOfNPlusOneTimesOneMinusAlpha(int n, double alpha, int k) =>
        Assert.Equal(k, ConformalCalibrator.QuantileRank(n, alpha));

    [Fact]
    public void LacThresholdAndSetsByHand()
    {
        using var cal = tensor(CalibrationRows);
        using var calY = tensor(CalibrationLabels);
        using var test = tensor(TestRows);
        using var testY = tensor(TestLabels);

        // Scores 1 - p_y: 0.5, 0.875, 0.875, 0.625; sorted 0.5, 0.625, 0.875, 0.875.
        // alpha = 0.6: k = ceil(5 * 0.4) = 2, q = 0.625, sets {y : p_y >= 0.375}.
        var lac = ConformalCalibrator.Fit(cal, calY, 0.6, ConformalScore.Lac);
        Assert.Equal(2, lac.Rank);
        Assert.Equal(0.625, lac.Threshold);
        var sets = lac.Predict(test, testY);
        Assert.Equal([0], sets.ClassesOf(0));
        Assert.Equal([0, 1], sets.ClassesOf(1));   // p_0 = 0.375: 1 - 0.375 = 0.625 <= q, a tie, included
        Assert.Equal([2], sets.ClassesOf(2));
        Assert.Empty(sets.ClassesOf(3));            // no class reaches 0.375: LAC sets can be empty
        Assert.Equal(0.5, sets.Coverage);           // rows 0 and 2 covered
        Assert.Equal(1.0, sets.MeanSize);           // (1 + 2 + 1 + 0) / 4
        Assert.Equal(0.25, sets.EmptyFraction);
        Assert.Equal([1, 2, 1, 0], sets.Sizes);

        // alpha = 0.4: k = 3, q = 0.875, sets {y : p_y >= 0.125}: every class of rows 0-2 and 3.
        var wider = ConformalCalibrator.Fit(cal, calY, 0.4, ConformalScore.Lac).Predict(test, testY);
        Assert.Equal(0.875, wider.Threshold);
        Assert.Equal(3.0, wider.MeanSize);
        Assert.Equal(1.0, wider.Coverage);
    }

    [Fact]
    public void TooFewCalibrationRowsGiveEveryClass()
    {
        using var cal = tensor(CalibrationRows);
        using var calY = tensor(CalibrationLabels);
        using var test = tensor(TestRows);
        foreach (var score in Enum.GetValues<ConformalScore>())
        {
            // alpha = 0.1: k = ceil(5 * 0.9) = 5 > 4 rows, so q = +inf.
            var fitted = ConformalCalibrator.Fit(cal, calY, 0.1, score);
            Assert.Equal(double.PositiveInfinity, fitted.Threshold);
            var sets = fitted.Predict(test);
            Assert.Null(sets.Coverage);
            Assert.Equal(3.0, sets.MeanSize);
        }
    }

    [Fact]
    public void NonRandomizedApsThresholdAndSetsByHand()
    {
        using var cal = tensor(CalibrationRows);
        using var calY = tensor(CalibrationLabels);
        using var test = tensor(TestRows);
        using var testY = tensor(TestLabels);

        // Score Z(y): the mass ranked at or above y (descending, ties by class index).
        // row 0 ranks 0,1,2: Z(0) = 0.5.  row 1 ranks 1,0,2 (tie 0.125: class 0 first): Z(2) = 1.
        // row 2 ranks 2,0,1: Z(1) = 1.    row 3 ranks 0,1,2 (tie 0.375): Z(1) = 0.75.
        // Sorted 0.5, 0.75, 1, 1; alpha = 0.6: k = 2, q = 0.75.
        var aps = ConformalCalibrator.Fit(cal, calY, 0.6, ConformalScore.ApsNonRandomized);
        Assert.Equal(0.75, aps.Threshold);
        var sets = aps.Predict(test, testY);
        Assert.Equal([0, 1], sets.ClassesOf(0));  // Z = 0.5, 0.75 (tie, included), 1
        Assert.Equal([1], sets.ClassesOf(1));     // ranks 1,0,2: Z = 0.5, 0.875, 1
        Assert.Equal([0, 2], sets.ClassesOf(2));  // ranks 2,0,1: Z = 0.5, 0.75, 1
        Assert.Equal([0, 1], sets.ClassesOf(3));  // ranks 0,1,2: Z = 0.34375, 0.6875, 1
        Assert.Equal(0.75, sets.Coverage);        // row 1 (y = 2) missed
        Assert.Equal(1.75, sets.MeanSize);
    }

    [Fact]
    public void RandomizedApsScoresByHand()
    {
        double[] row = [0.5, 0.375, 0.125];
        Assert.Equal(0.5 - 0.5 * 0.5, ConformalScoring.Score(ConformalScore.Aps, row, 0, 0.5));
        Assert.Equal(0.875 - 0.5 * 0.375, ConformalScoring.Score(ConformalScore.Aps, row, 1, 0.5));
        Assert.Equal(1 - 0.25 * 0.125, ConformalScoring.Score(ConformalScore.Aps, row, 2, 0.25));
        double[] tied = [0.125, 0.75, 0.125];
        Assert.Equal(0.875, ConformalScoring.Score(ConformalScore.Aps, tied, 0, 0)); // tie: class 0 ranks before 2
        Assert.Equal(1.0, ConformalScoring.Score(ConformalScore.Aps, tied, 2, 0));
        Assert.Equal(1 - 0.125, ConformalScoring.Score(ConformalScore.Lac, tied, 2, 0.9)); // LAC ignores V
    }

    [Theory]
    [InlineData(5)]
    [InlineData(40)]    // past the insertion sort: the general sort must rank the same way
    [InlineData(300)]   // past the stack buffers
    public void ApsScoresAreRunningSumsInRankOrderWithTiesByClassIndex(int classes)
    {
        // Weights 1, 2 or 3: many ties, so the tie rule decides most ranks.
        var random = new Random(classes);
        var weights = Enumerable.Range(0, classes).Select(_ => (double)random.Next(1, 4)).ToArray();
        var row = weights.Select(w => w / weights.Sum()).ToArray();
        var ranked = Enumerable.Range(0, classes).OrderByDescending(y => row[y]).ThenBy(y => y).ToArray();
        double mass = 0;
        foreach (int y in ranked)
        {
            mass += row[y];
            Assert.Equal(mass - 0.3 * row[y], ConformalScoring.Score(ConformalScore.Aps, row, y, 0.3));
        }
    }

    [Fact]
    public void RandomizedApsUsesOneSeededDrawPerRow()
    {
        using var cal = tensor(CalibrationRows);
        using var calY = tensor(CalibrationLabels);
        using var test = tensor(TestRows);
        const long seed = 3;
        var aps = ConformalCalibrator.Fit(cal, calY, 0.6, ConformalScore.Aps, seed);

        // Calibration V's: stream 0 of the seed, one per row, each applied to the true class's Z and p.
        var d = ConformalScoring.Draws(seed, ConformalScoring.CalibrationStream, 4);
        double[] scores = [0.5 - d[0] * 0.5, 1 - d[1] * 0.125, 1 - d[2] * 0.125, 0.75 - d[3] * 0.375];
        Array.Sort(scores);
        Assert.Equal(scores[1], aps.Threshold); // k = 2

        // Test V's: stream 1, one per row shared by its classes. Row 0 ranks 0,1,2 with Z = 0.5, 0.75, 1.
        var e = ConformalScoring.Draws(seed, ConformalScoring.TestStream, 4);
        var sets = aps.Predict(test);
        double q = aps.Threshold;
        Assert.Equal(0.5 - e[0] * 0.5 <= q, sets.Contains(0, 0));
        Assert.Equal(0.75 - e[0] * 0.25 <= q, sets.Contains(0, 1));
        Assert.Equal(1 - e[0] * 0.25 <= q, sets.Contains(0, 2));
        // Row 2 ranks 2,0,1 with Z = 0.5, 0.75, 1.
        Assert.Equal(0.5 - e[2] * 0.5 <= q, sets.Contains(2, 2));
        Assert.Equal(0.75 - e[2] * 0.25 <= q, sets.Contains(2, 0));
        Assert.Equal(1 - e[2] * 0.25 <= q, sets.Contains(2, 1));
    }

    [Fact]
    public void RandomizedApsIsDeterministicUnderItsSeed()
    {
        using var generator = new Generator(11);
        using var logits = randn(new long[] { 300, 6 }, generator: generator, dtype: ScalarType.Float64);
        using var probs = logits.softmax(1);
        using var targets = multinomial(probs, 1, generator: generator).squeeze(1);
        using var calProbs = probs[..150];
        using var calY = targets[..150];
        using var testProbs = probs[150..];

        var a = ConformalCalibrator.Fit(calProbs, calY, 0.1, ConformalScore.Aps, seed: 5);
        var b = ConformalCalibrator.Fit(calProbs, calY, 0.1, ConformalScore.Aps, seed: 5);
        var c = ConformalCalibrator.Fit(calProbs, calY, 0.1, ConformalScore.Aps, seed: 6);
        Assert.Equal(a.Threshold, b.Threshold);
        Assert.NotEqual(a.Threshold, c.Threshold);
        Assert.Equal(a.Predict(testProbs).ToMask(), b.Predict(testProbs).ToMask());
        Assert.Equal(a.Predict(testProbs).ToMask(), a.Predict(testProbs).ToMask()); // fit once, predict again: same sets
        Assert.Equal(a.Predict(testProbs, seed: 9).ToMask(), b.Predict(testProbs, seed: 9).ToMask());
        Assert.NotEqual(a.Predict(testProbs).ToMask(), a.Predict(testProbs, seed: 9).ToMask());
        // The one-call form is fit then predict.
        Assert.Equal(a.Predict(testProbs).ToMask(), ConformalPrediction.Split(calProbs, calY, testProbs, null, 0.1, ConformalScore.Aps, seed: 5).ToMask());
    }

    [Fact]
    public void ApsSetsArePrefixesOfTheRanking()
    {
        using var generator = new Generator(12);
        using var logits = randn(new long[] { 400, 8 }, generator: generator, dtype: ScalarType.Float64) * 2;
        using var probs = logits.softmax(1);
        using var targets = multinomial(probs, 1, generator: generator).squeeze(1);
        var rows = probs.data<double>().ToArray();
        using var scope = NewDisposeScope();
        foreach (var score in new[] { ConformalScore.Aps, ConformalScore.ApsNonRandomized, ConformalScore.Lac })
        {
            var sets = ConformalPrediction.Split(probs[..200], targets[..200], probs[200..], null, 0.2, score, seed: 1);
            for (int i = 0; i < sets.Count; i++)
            {
                var row = rows.AsSpan((200 + i) * 8, 8).ToArray();
                var ranked = Enumerable.Range(0, 8).OrderByDescending(y => row[y]).ThenBy(y => y).ToArray();
                int size = sets.Sizes[i];
                Assert.All(ranked.Take(size), y => Assert.True(sets.Contains(i, y)));
                Assert.All(ranked.Skip(size), y => Assert.False(sets.Contains(i, y)));
            }
        }
    }

    [Fact]
    public void FloatAndDoubleProbabilitiesGiveTheSameSetsOnExactValues()
    {
        using var cal = tensor(CalibrationRows);
        using var calY = tensor(CalibrationLabels);
        using var test = tensor(TestRows);
        using var cal32 = cal.to(ScalarType.Float32);
        using var test32 = test.to(ScalarType.Float32);
        var a = ConformalPrediction.Split(cal, calY, test, null, 0.6, ConformalScore.Lac);
        var b = ConformalPrediction.Split(cal32, calY, test32, null, 0.6, ConformalScore.Lac);
        Assert.Equal(a.ToMask(), b.ToMask());
    }
}
