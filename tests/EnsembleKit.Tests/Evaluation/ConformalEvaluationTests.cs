using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Uncertainty;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class ConformalEvaluationTests(ITestOutputHelper output)
{
    // One member whose logits are log p, so its softmax is p. Calibration rows (p; target) and test rows, alpha = 0.4:
    // with n = 4 the threshold is the k = ceil(5 · 0.6) = 3rd smallest calibration score.
    static readonly double[][] CalibrationProbs = [[0.7, 0.2, 0.1], [0.5, 0.35, 0.15], [0.8, 0.1, 0.1], [0.4, 0.4, 0.2]];
    static readonly long[] CalibrationLabels = [0, 1, 0, 2];
    static readonly double[][] TestProbs = [[0.7, 0.2, 0.1], [0.45, 0.45, 0.1], [0.34, 0.33, 0.33], [0.2, 0.2, 0.6]];
    static readonly long[] TestLabels = [0, 1, 0, 2];

    static Tensor LogProbs(double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [1, rows.Length, 3]).log();

    [Fact]
    public void LacAndDeterministicApsGiveTheHandComputedSets()
    {
        using var calibration = LogProbs(CalibrationProbs);
        using var calibrationTargets = tensor(CalibrationLabels);
        using var test = LogProbs(TestProbs);
        using var testTargets = tensor(TestLabels);
        var report = ConformalEvaluation.EvaluateOnSplit("hand", calibration, calibrationTargets, test, testTargets,
            CombinationRule.MeanProbabilities, alpha: 0.4, scores: [ConformalScore.Lac, ConformalScore.ApsNonRandomized]);

        Assert.Equal(4, report.CalibrationCount);
        Assert.Equal(4, report.TestCount);
        Assert.Equal(["member 1 Lac", "member 1 ApsNonRandomized", "ensemble Lac", "ensemble ApsNonRandomized"],
            report.Rows.Select(r => $"{r.Predictor} {r.Score}"));
        // LAC scores 1 - p_y: 0.3, 0.65, 0.2, 0.8, so q = 0.65 and a set is {y : p_y >= 0.35}: {0}, {0, 1}, {}, {2};
        // the third misses its target: coverage 3/4, mean size 1, one empty set in four.
        // APS scores Z(y) (mass ranked at or above y): 0.7, 0.85, 0.8, 1.0, so q = 0.85 and the sets are {0}, {0} (misses
        // target 1, since Z(1) = 0.9), {0, 1} and {2, 0}: coverage 3/4, mean size 1.5, no empty set.
        foreach (var predictor in new[] { "member 1", "ensemble" })
        {
            var lac = report.Rows.Single(r => r.Predictor == predictor && r.Score == ConformalScore.Lac);
            Assert.Equal(0.75, lac.Coverage, 12);
            Assert.Equal(1.0, lac.MeanSetSize, 12);
            Assert.Equal(0.25, lac.EmptyFraction, 12);
            Assert.Equal(0.65, lac.Threshold, 12);
            Assert.Equal(0.4, lac.Alpha);
            var aps = report.Rows.Single(r => r.Predictor == predictor && r.Score == ConformalScore.ApsNonRandomized);
            Assert.Equal(0.75, aps.Coverage, 12);
            Assert.Equal(1.5, aps.MeanSetSize, 12);
            Assert.Equal(0.0, aps.EmptyFraction, 12);
            Assert.Equal(0.85, aps.Threshold, 12);
        }
        Assert.Contains("target coverage 60.0 %", report.ToTable());
        output.WriteLine(report.ToTable());
    }

    [Theory]
    [InlineData(CombinationRule.MeanProbabilities, 3)]
    [InlineData(CombinationRule.MeanLogits, 4)]
    [InlineData(CombinationRule.MajorityVote, 5)]
    public void RowsEqualSplitConformalOnTheCombinedProbabilitiesOfTheSplit(CombinationRule rule, long seed)
    {
        using var logits = randn(3, 81, 5, generator: new Generator(21)) * 2;
        using var targets = randint(0, 5, [81], generator: new Generator(22));
        var report = ConformalEvaluation.Evaluate("random", logits, targets, rule, alpha: 0.2, seed: seed);

        var (calibrationRows, testRows) = ConformalEvaluation.SplitIndices(81, 0.5, seed);
        Assert.Equal(40, report.CalibrationCount);
        Assert.Equal(41, report.TestCount);
        using var scope = NewDisposeScope();
        var doubles = logits.to(ScalarType.Float64);
        var cal = tensor(calibrationRows.Select(i => (long)i).ToArray());
        var tst = tensor(testRows.Select(i => (long)i).ToArray());
        var probs = Enumerable.Range(0, 3).Select(m => doubles[m].softmax(1)).Append(Combine.Probabilities(doubles, rule)).ToList();
        var expected = probs.SelectMany(p => ConformalEvaluation.DefaultScores.Select(score =>
            ConformalPrediction.Split(p.index_select(0, cal), targets.index_select(0, cal), p.index_select(0, tst), targets.index_select(0, tst), 0.2, score, seed))).ToList();
        Assert.Equal(expected.Count, report.Rows.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, report.Rows[i].Score);
            Assert.Equal(expected[i].Coverage!.Value, report.Rows[i].Coverage);
            Assert.Equal(expected[i].MeanSize, report.Rows[i].MeanSetSize);
            Assert.Equal(expected[i].EmptyFraction, report.Rows[i].EmptyFraction);
            Assert.Equal(expected[i].Threshold, report.Rows[i].Threshold);
        }
    }

    [Fact]
    public void TheSplitIsASeededPartition()
    {
        var (calibration, test) = ConformalEvaluation.SplitIndices(101, 0.5, seed: 7);
        Assert.Equal(50, calibration.Length);
        Assert.Equal(51, test.Length);
        Assert.Equal(Enumerable.Range(0, 101), calibration.Concat(test).Order());
        Assert.Equal(calibration.Order(), calibration);
        var again = ConformalEvaluation.SplitIndices(101, 0.5, seed: 7);
        Assert.Equal(calibration, again.Calibration);
        Assert.Equal(test, again.Test);
        Assert.NotEqual(calibration, ConformalEvaluation.SplitIndices(101, 0.5, seed: 8).Calibration);
        Assert.Equal(30, ConformalEvaluation.SplitIndices(101, 0.3, seed: 7).Calibration.Length);
    }

    [Fact]
    public void TheEnsembleOverloadIsDeterministicAndScoresItsMemberLogits()
    {
        using var inputs = randn(40, 3, generator: new Generator(31));
        using var data = new TensorDataset(inputs.clone(), inputs.argmax(1), 3, "random");
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1), new ScaledIdentity(0.3)]);
        var first = ConformalEvaluation.Evaluate(ensemble, data, alpha: 0.25, seed: 9);
        var second = ConformalEvaluation.Evaluate(ensemble, data, alpha: 0.25, seed: 9);
        using var logits = ensemble.MemberLogits(data);
        var viaLogits = ConformalEvaluation.Evaluate(ensemble.Method, logits, data.Targets, ensemble.Rule, alpha: 0.25, seed: 9);
        Assert.Equal(first.Rows, second.Rows);
        Assert.Equal(viaLogits.Rows, first.Rows);
        Assert.Equal(6, first.Rows.Count);
        Assert.Equal(9, first.Seed);
    }

    [Fact]
    public void RefusesBadInputNamingTheArgumentAndValue()
    {
        using var logits = zeros(2, 6, 3);
        using var targets = zeros(6, dtype: ScalarType.Int64);
        using var fewer = zeros(2, 6, 4);
        foreach (double alpha in new[] { 0, 1, -0.1, double.NaN })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConformalEvaluation.Evaluate("m", logits, targets, CombinationRule.MeanProbabilities, alpha));
            Assert.Equal("alpha", e.ParamName);
        }
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() =>
            ConformalEvaluation.Evaluate("m", logits, targets, CombinationRule.MeanProbabilities, scores: [])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() =>
            ConformalEvaluation.Evaluate("m", logits, targets, CombinationRule.MeanProbabilities, scores: [(ConformalScore)9])).ParamName);
        foreach (double fraction in new[] { 0, 1, 0.1 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                ConformalEvaluation.Evaluate("m", logits, targets, CombinationRule.MeanProbabilities, calibrationFraction: fraction));
            Assert.Equal("calibrationFraction", e.ParamName);
            Assert.Contains(fraction.ToString(System.Globalization.CultureInfo.CurrentCulture), e.Message);
        }
        Assert.Equal("testMemberLogits", Assert.Throws<ArgumentException>(() =>
            ConformalEvaluation.EvaluateOnSplit("m", logits, targets, fewer, targets, CombinationRule.MeanProbabilities)).ParamName);
        using var flat = zeros(6, 3);
        Assert.Equal("memberLogits", Assert.Throws<ArgumentException>(() =>
            ConformalEvaluation.Evaluate("m", flat, targets, CombinationRule.MeanProbabilities)).ParamName);
    }

    [Fact]
    public void LeavesNoLiveTensors()
    {
        using var logits = randn(2, 30, 4, generator: new Generator(41));
        using var targets = randint(0, 4, [30], generator: new Generator(42));
        void Run()
        {
            ConformalEvaluation.Evaluate("random", logits, targets, CombinationRule.MeanLogits, alpha: 0.2, seed: 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => ConformalEvaluation.Evaluate("random", logits, targets, CombinationRule.MeanLogits, alpha: 2));
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }
}
