using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class EnsembleEvaluationTests
{
    // Inputs are the logits of member 1; member 2 doubles them. Targets: row 2 is misclassified by both members.
    static TensorDataset HandData() => new(
        tensor(new float[] { 2, 0, 0, 1, 1, 0, 0, 3 }, [4, 2]), tensor(new long[] { 0, 1, 1, 1 }), 2, "hand case");

    static DeepEnsemble HandEnsemble() => new([new ScaledIdentity(1), new ScaledIdentity(2)], CombinationRule.MeanProbabilities);

    // Golden values computed with numpy (softmax, mean NLL, 15-bin ECE on (lo, hi] bins, Brier summed over classes,
    // KL(p_i || p_j) averaged over rows): tests/reference/evaluation_hand_case.py, output in evaluation_hand_case.txt.
    [Fact]
    public void ScoresMembersAndEnsembleAsComputedByHand()
    {
        using var data = HandData();
        using var ensemble = HandEnsemble();
        var report = EnsembleEvaluation.Evaluate(ensemble, data);

        Assert.Equal("deep ensemble", report.Method);
        Assert.Equal(["member 1", "member 2"], report.Members.Select(m => m.Name));
        AssertScores(report.Members[0], 0.75, 0.4505096844, 0.1571864881, 0.3116173418);
        AssertScores(report.Members[1], 0.75, 0.5686204088, 0.1955132473, 0.3951712234);
        AssertScores(report.Ensemble, 0.75, 0.4879031560, 0.1763498677, 0.3462556759);
        Assert.Equal(2, report.Ensemble.Members);
        Assert.Equal(0.75, report.BestMemberAccuracy);
        Assert.Equal(0.0, report.Diversity!.Disagreement.Mean);
        Assert.Equal((0.0977523010 + 0.0614402423) / 2, report.Diversity.KlDivergence.Mean, 8);
        Assert.Equal(25.0, report.Ensemble.ErrorPercent, 10);
    }

    [Fact]
    public void MemberAccuracySpreadIsTheMeanAndSampleStandardDeviation()
    {
        static ScoreRow Row(double accuracy) => new("m", 1, accuracy, 0, 0, 0, 0);
        // 0.40, 0.46, 0.49: mean 0.45, squared deviations 0.0025 + 0.0001 + 0.0016 = 0.0042, / 2 -> std sqrt(0.0021).
        var three = new EnsembleReport("hand", CombinationRule.MeanProbabilities, [Row(0.40), Row(0.46), Row(0.49)], Row(0.5), null);
        var (mean, std) = three.MemberAccuracySpread;
        Assert.Equal(0.45, mean, 12);
        Assert.Equal(Math.Sqrt(0.0021), std, 12);
        var one = new EnsembleReport("hand", CombinationRule.MeanProbabilities, [Row(0.7)], Row(0.7), null);
        Assert.Equal((0.7, 0.0), one.MemberAccuracySpread);
    }

    [Fact]
    public void CalibratedNllDoesNotDependOnTheLogitsScale()
    {
        // Logits three times sharper calibrate to the same NLL: the fitted temperature absorbs the factor (the optimum lies
        // well inside the search bounds, since the logits carry signal: noise plus 2 on the true class).
        using var targets = randint(0, 5, [400], generator: new TorchSharp.torch.Generator(8));
        using var logits = randn(400, 5, generator: new TorchSharp.torch.Generator(7)) + 2 * nn.functional.one_hot(targets, 5).to(ScalarType.Float32);
        using var sharper = logits * 3;
        Assert.Equal(TemperatureScaling.TwoFoldCalibratedNll(logits, targets), TemperatureScaling.TwoFoldCalibratedNll(sharper, targets), 4);
    }

    [Fact]
    public void TwoFoldCalibrationAveragesBothDirectionsByHalfSize()
    {
        using var logits = randn(9, 3, generator: new TorchSharp.torch.Generator(3));
        using var targets = randint(0, 3, [9], generator: new TorchSharp.torch.Generator(4));
        // Halves of 4 and 5 rows: fit on the first and score the second (5 rows), then the reverse (4 rows).
        double firstToSecond = TemperatureScaling.CalibratedNll(logits[..4], targets[..4], logits[4..], targets[4..]).Nll;
        double secondToFirst = TemperatureScaling.CalibratedNll(logits[4..], targets[4..], logits[..4], targets[..4]).Nll;
        Assert.Equal((5 * firstToSecond + 4 * secondToFirst) / 9, TemperatureScaling.TwoFoldCalibratedNll(logits, targets), 12);
    }

    [Fact]
    public void OneMemberHasNoDiversityAndRowsMatchTheEnsemble()
    {
        using var data = HandData();
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1)], CombinationRule.MeanLogits);
        var report = EnsembleEvaluation.Evaluate(ensemble, data);
        Assert.Null(report.Diversity);
        Assert.Equal(report.Members[0].Nll, report.Ensemble.Nll, 6);
        Assert.Contains("member 1", report.ToTable());
    }

    [Fact]
    public void RefusesBadInputNamingTheArgument()
    {
        using var targets = tensor(new long[] { 0, 1 });
        using var flat = zeros(2, 2);
        Assert.Equal("memberLogits", Assert.Throws<ArgumentException>(() => EnsembleEvaluation.Evaluate("m", flat, targets, CombinationRule.MeanLogits)).ParamName);
        using var logits = zeros(2, 2, 2);
        Assert.Equal("memberNames", Assert.Throws<ArgumentException>(() =>
            EnsembleEvaluation.Evaluate("m", logits, targets, CombinationRule.MeanLogits, memberNames: ["only one"])).ParamName);
        using var nan = full(2, 2, 2, float.NaN);
        Assert.ThrowsAny<ArgumentException>(() => EnsembleEvaluation.Evaluate("m", nan, targets, CombinationRule.MeanLogits));
        using var one = zeros(1, 2);
        using var oneTarget = tensor(new long[] { 0 });
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => TemperatureScaling.TwoFoldCalibratedNll(one, oneTarget)).ParamName);
    }

    [Fact]
    public void CombinedRowIsTheReportsEnsembleRowUnderTheGivenName()
    {
        using var data = HandData();
        using var ensemble = HandEnsemble();
        using var logits = ensemble.MemberLogits(data);
        var full = EnsembleEvaluation.Evaluate("m", logits, data.Targets, CombinationRule.MeanProbabilities).Ensemble;
        var combined = EnsembleEvaluation.EvaluateCombined("both members", logits, data.Targets);
        Assert.Equal(full with { Name = "both members" }, combined);
        AssertScores(combined, 0.75, 0.4879031560, 0.1763498677, 0.3462556759);
        // One member as [1, N, C]: member 1's hand-computed scores.
        using var first = logits.narrow(0, 0, 1);
        var single = EnsembleEvaluation.EvaluateCombined("member 1 alone", first, data.Targets);
        Assert.Equal(1, single.Members);
        // Within 1e-6 rather than to six places: its probabilities are float32 and the ECE lands on a rounding boundary.
        Assert.Equal(0.75, single.Accuracy, 9);
        Assert.Equal(0.4505096844, single.Nll, 1e-6);
        Assert.Equal(0.1571864881, single.Ece, 1e-6);
        Assert.Equal(0.3116173418, single.Brier, 1e-6);
    }

    [Fact]
    public void MeanOverSubsetsAveragesEverySubsetOfTheGivenSize()
    {
        using var data = HandData();
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1), new ScaledIdentity(2), new ScaledIdentity(3)], CombinationRule.MeanProbabilities);
        using var logits = ensemble.MemberLogits(data);
        ScoreRow Of(params long[] members)
        {
            using var index = tensor(members);
            using var chosen = logits.index_select(0, index);
            return EnsembleEvaluation.EvaluateCombined("s", chosen, data.Targets);
        }
        var pairs = new[] { Of(0, 1), Of(0, 2), Of(1, 2) };
        var mean = EnsembleEvaluation.EvaluateMeanOverSubsets("pairs", logits, data.Targets, 2);
        Assert.Equal("pairs", mean.Name);
        Assert.Equal(2, mean.Members);
        Assert.Equal(pairs.Average(p => p.Nll), mean.Nll, 12);
        Assert.Equal(pairs.Average(p => p.Brier), mean.Brier, 12);
        Assert.Equal(pairs.Average(p => p.Ece), mean.Ece, 12);
        Assert.Equal(pairs.Average(p => p.CalibratedNll), mean.CalibratedNll, 12);
        // The three pairs differ, so the mean is not any one of them.
        Assert.NotEqual(pairs[0].Nll, pairs[2].Nll);
        Assert.Equal(Of(0, 1, 2) with { Name = "all" }, EnsembleEvaluation.EvaluateMeanOverSubsets("all", logits, data.Targets, 3));
        Assert.Equal(new[] { Of(0), Of(1), Of(2) }.Average(r => r.Nll), EnsembleEvaluation.EvaluateMeanOverSubsets("one", logits, data.Targets, 1).Nll, 12);

        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleEvaluation.EvaluateMeanOverSubsets("x", logits, data.Targets, 0)).ParamName);
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleEvaluation.EvaluateMeanOverSubsets("x", logits, data.Targets, 4)).ParamName);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => EnsembleEvaluation.EvaluateMeanOverSubsets("x", logits, data.Targets, 2, maxSubsets: 2));
        Assert.Contains("C(3, 2) = 3", tooMany.Message);
    }

    [Fact]
    public void SubsetsAreAscendingAndInLexicographicOrder()
    {
        Assert.Equal(new[] { "01", "02", "03", "12", "13", "23" }, Subsets.Of(4, 2, 100).Select(s => string.Concat(s)));
        Assert.Equal(new[] { "012" }, Subsets.Of(3, 3, 100).Select(s => string.Concat(s)));
        Assert.Equal(252, Subsets.Of(10, 5, 1000).Count);
    }

    [Fact]
    public void CumulativeEnsemblesGrowFromTheFirstOrTheLastMember()
    {
        using var data = HandData();
        using var ensemble = HandEnsemble();
        using var logits = ensemble.MemberLogits(data);

        var first = EnsembleEvaluation.EvaluateCumulative(k => $"first {k}", logits, data.Targets);
        Assert.Equal(["first 1", "first 2"], first.Select(r => r.Name));
        Assert.Equal([1, 2], first.Select(r => r.Members));
        AssertScores(first[0], 0.75, 0.4505096844, 0.1571864881, 0.3116173418);   // member 1 alone (same golden values as above)
        AssertScores(first[1], 0.75, 0.4879031560, 0.1763498677, 0.3462556759);   // both

        var last = EnsembleEvaluation.EvaluateCumulative(k => $"last {k}", logits, data.Targets, lastMembers: true);
        AssertScores(last[0], 0.75, 0.5686204088, 0.1955132473, 0.3951712234);    // member 2 alone
        Assert.Equal(first[1] with { Name = "last 2" }, last[1]);
        Assert.Equal(EnsembleEvaluation.EvaluateCombined("last 1", logits.narrow(0, 1, 1), data.Targets), last[0]);

        Assert.Throws<ArgumentNullException>(() => EnsembleEvaluation.EvaluateCumulative(null!, logits, data.Targets));
        using var flat = zeros(4, 2);
        Assert.Throws<ArgumentException>(() => EnsembleEvaluation.EvaluateCumulative(k => "x", flat, data.Targets));
    }

    [Fact]
    public void EachMemberIsScoredAloneInOrder()
    {
        using var data = HandData();
        using var ensemble = HandEnsemble();
        using var logits = ensemble.MemberLogits(data);
        var each = EnsembleEvaluation.EvaluateEach(k => $"snapshot {k}", logits, data.Targets);
        Assert.Equal(["snapshot 1", "snapshot 2"], each.Select(r => r.Name));
        Assert.Equal([1, 1], each.Select(r => r.Members));
        AssertScores(each[0], 0.75, 0.4505096844, 0.1571864881, 0.3116173418);   // member 1 alone (golden values above)
        AssertScores(each[1], 0.75, 0.5686204088, 0.1955132473, 0.3951712234);   // member 2 alone
        Assert.Equal(EnsembleEvaluation.EvaluateCombined("snapshot 2", logits.narrow(0, 1, 1), data.Targets), each[1]);

        Assert.Throws<ArgumentNullException>(() => EnsembleEvaluation.EvaluateEach(null!, logits, data.Targets));
        using var flat = zeros(4, 2);
        Assert.Throws<ArgumentException>(() => EnsembleEvaluation.EvaluateEach(k => "x", flat, data.Targets));
    }

    [Fact]
    public void AtSizesRepeatsARowAtEachSizeWithItsScores()
    {
        var row = new ScoreRow("SWA", 1, 0.6, 1.2, 0.05, 0.5, 1.1);
        var flat = row.AtSizes(1, 20);
        Assert.Equal([1, 20], flat.Select(r => r.Members));
        Assert.All(flat, r => Assert.Equal(row with { Members = r.Members }, r));
        Assert.Equal([2, 3], row.AtSizes(new List<int> { 2, 3 }).Select(r => r.Members));
        Assert.Throws<ArgumentException>(() => row.AtSizes());
        Assert.Contains("0", Assert.Throws<ArgumentException>(() => row.AtSizes(0, 2)).Message);
        Assert.Throws<ArgumentNullException>(() => row.AtSizes((IEnumerable<int>)null!));
    }

    [Fact]
    public void DeeRowsReadEachMethodOffTheDeepEnsemblesCalibratedNll()
    {
        var deep = new[] { new ScoreRow("de 1", 1, 0.6, 1.3, 0, 0, 1.0), new ScoreRow("de 2", 2, 0.65, 1.2, 0, 0, 0.8),
            new ScoreRow("de 3", 3, 0.67, 1.1, 0, 0, 0.7) };
        var methods = new[] { new ScoreRow("single", 1, 0.6, 1.3, 0, 0, 1.1), new ScoreRow("MC dropout, T = 5", 5, 0.61, 1.25, 0, 0, 0.9),
            new ScoreRow("SWA", 1, 0.62, 1.2, 0, 0, 0.75), new ScoreRow("better", 1, 0.7, 1, 0, 0, 0.5) };
        var rows = DeeRow.Of(deep, methods);
        Assert.Equal(["single", "MC dropout, T = 5", "SWA", "better"], rows.Select(r => r.Method));
        Assert.Equal([1, 5, 1, 1], rows.Select(r => r.ForwardPasses));
        Assert.Same(methods[1], rows[1].Scores);
        // by hand: 1.1 >= 1.0 -> 1; 0.9 halfway from 1.0 to 0.8 -> 1.5; 0.75 halfway from 0.8 to 0.7 -> 2.5; 0.5 below the curve -> 3
        Assert.Equal([1, 1.5, 2.5, 3], rows.Select(r => Math.Round(r.Dee, 12)));
        Assert.Throws<ArgumentException>(() => DeeRow.Of([], methods));
        Assert.Throws<ArgumentNullException>(() => DeeRow.Of(deep, null!));
    }

    [Fact]
    public void ScoreRowConvertsToTheReportItsChartsDraw()
    {
        var row = new ScoreRow("snapshot 1", 1, 0.9, 0.3, 0.02, 0.15, 0.28);
        Assert.Equal(new ClassificationReport("snapshot 1", 0.9, 0.3, 0.02, 0.15), row.ToReport());
    }

    [Fact]
    public void PredictAccuracyIsTheShareOfRowsClassifiedCorrectly()
    {
        using var data = HandData();
        using var model = new ScaledIdentity(1);
        // by hand: argmax of the rows (2, 0), (0, 1), (1, 0), (0, 3) is 0, 1, 0, 1 against targets 0, 1, 1, 1 -> 3 of 4
        Assert.Equal(0.75, EnsembleKit.Training.Predict.Accuracy(model, data));
        Assert.Equal(0.75, EnsembleKit.Training.Predict.Accuracy(model, data, batchSize: 3));
        Assert.Throws<ArgumentNullException>(() => EnsembleKit.Training.Predict.Accuracy(model, null!));
    }

    static void AssertScores(ScoreRow row, double accuracy, double nll, double ece, double brier)
    {
        // Within 1e-6 (a tolerance, not rounding to six places, which can split two values 2e-8 apart): the members' and the
        // ensemble's probabilities are float32.
        Assert.Equal(accuracy, row.Accuracy, 1e-9);
        Assert.Equal(nll, row.Nll, 1e-6);
        Assert.Equal(ece, row.Ece, 1e-6);
        Assert.Equal(brier, row.Brier, 1e-6);
    }
}
