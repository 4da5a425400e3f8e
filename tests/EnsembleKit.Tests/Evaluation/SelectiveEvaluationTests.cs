using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Uncertainty;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class SelectiveEvaluationTests(ITestOutputHelper output)
{
    // Two classes, logits [d, 0]: class 0 has probability sigmoid(d), the confidence is sigmoid(|d|). Targets 0, 0, 0, 1.
    //   member 1, d = 3, 1, -2, 0.5: right, right, wrong, wrong; by confidence row 0 (R), row 2 (W), row 1 (R), row 3 (W):
    //     risks 0, 1/2, 1/3, 1/2, AURC = 1/3; oracle with 2 errors in 4 = (1/3 + 2/4) / 4 = 5/24; E-AURC = 1/8;
    //     at 50 % (k = 2) accuracy 1/2, at 90, 95, 99 % (k = 4) 1/2.
    //   member 2, d = 0.5, 2, -0.5, -3: right, right, wrong, right; row 3, row 1, then rows 0 (R) and 2 (W) tied at
    //     sigmoid(0.5): risks 0, 0, (1/2) / 3, 1/4, AURC = 5/48; oracle 1/16; E-AURC = 1/24; at 50 % 1, at 90 % 3/4.
    //   ensemble (mean probabilities): p0 = 0.7875, 0.8059, 0.2484, 0.3349: right, right, wrong, right; by confidence
    //     row 1, row 0, row 2 (W, 0.7516), row 3 (0.6651): risks 0, 0, 1/3, 1/4, AURC = 7/48; E-AURC = 7/48 - 3/48 = 1/12.
    static Tensor HandLogits()
    {
        var d = tensor(new double[] { 3, 1, -2, 0.5, 0.5, 2, -0.5, -3 }).reshape(2, 4);
        return stack([d, zeros_like(d)], 2);
    }

    static Tensor HandTargets() => tensor(new long[] { 0, 0, 0, 1 });

    [Fact]
    public void RowsMatchTheHandComputedCurves()
    {
        using var logits = HandLogits();
        using var targets = HandTargets();
        var report = SelectiveEvaluation.Evaluate("hand", logits, targets, CombinationRule.MeanProbabilities);

        Assert.Equal(["member 1", "member 2", "ensemble"], report.Rows.Select(r => r.Predictor));
        Assert.Equal([1, 1, 2], report.Rows.Select(r => r.Members));
        AssertRow(report.Members[0], 0.5, 1.0 / 3, 5.0 / 24, 1.0 / 8, 0.5, 0.5);
        AssertRow(report.Members[1], 0.75, 5.0 / 48, 1.0 / 16, 1.0 / 24, 1, 0.75);
        AssertRow(report.Ensemble, 0.75, 7.0 / 48, 1.0 / 16, 1.0 / 12, 1, 0.75);
        var table = report.ToTable();
        Assert.Contains("E-AURC", table);
        Assert.Contains("ensemble", table);
        output.WriteLine(table);
    }

    [Theory]
    [InlineData(CombinationRule.MeanProbabilities)]
    [InlineData(CombinationRule.MeanLogits)]
    [InlineData(CombinationRule.MajorityVote)]
    public void RowsEqualTheMetricOnTheCombinedProbabilities(CombinationRule rule)
    {
        using var logits = randn(3, 60, 4, generator: new Generator(11));
        using var targets = randint(0, 4, [60], generator: new Generator(12));
        var report = SelectiveEvaluation.Evaluate("random", logits, targets, rule);

        using var scope = NewDisposeScope();
        var doubles = logits.to(ScalarType.Float64);
        var expected = Enumerable.Range(0, 3).Select(m => Direct(doubles[m].softmax(1), targets))
            .Append(Direct(Combine.Probabilities(doubles, rule), targets)).ToList();
        var rows = report.Rows.ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var (want, accuracy) = expected[i];
            Assert.Equal(want.Aurc, rows[i].Aurc);
            Assert.Equal(want.OracleAurc, rows[i].OracleAurc);
            Assert.Equal(want.EAurc, rows[i].EAurc);
            Assert.Equal(want.AccuracyAt50, rows[i].AccuracyAt50);
            Assert.Equal(want.AccuracyAt90, rows[i].AccuracyAt90);
            Assert.Equal(want.AccuracyAt95, rows[i].AccuracyAt95);
            Assert.Equal(want.AccuracyAt99, rows[i].AccuracyAt99);
            Assert.Equal(accuracy, rows[i].Accuracy);
        }
        // The accuracy is the one EnsembleEvaluation reports (no near ties in these random logits).
        var scores = EnsembleEvaluation.Evaluate("random", logits, targets, rule);
        Assert.Equal(scores.Rows.Select(r => r.Accuracy), rows.Select(r => r.Accuracy));
    }

    [Fact]
    public void TheEnsembleOverloadScoresItsMemberLogits()
    {
        using var data = new TensorDataset(tensor(new float[] { 2, 0, 0, 1, 1, 0, 0, 3, 0.5f, 0 }, [5, 2]), tensor(new long[] { 0, 1, 1, 1, 1 }), 2, "hand");
        using var ensemble = new DeepEnsemble([new ScaledIdentity(1), new ScaledIdentity(-0.5)], CombinationRule.MeanLogits);
        var viaEnsemble = SelectiveEvaluation.Evaluate(ensemble, data);
        using var logits = ensemble.MemberLogits(data);
        var viaLogits = SelectiveEvaluation.Evaluate(ensemble.Method, logits, data.Targets, ensemble.Rule);
        Assert.Equal("deep ensemble", viaEnsemble.Method);
        Assert.Equal(CombinationRule.MeanLogits, viaEnsemble.Rule);
        Assert.Equal(viaLogits.Rows, viaEnsemble.Rows);
    }

    [Fact]
    public void RefusesBadInputNamingTheArgumentAndValue()
    {
        using var flat = zeros(4, 2);
        using var logits = zeros(2, 4, 2);
        using var targets = HandTargets();
        using var shortTargets = tensor(new long[] { 0, 1 });
        using var outside = tensor(new long[] { 0, 1, 5, 0 });
        using var nan = full(2, 4, 2, float.NaN);
        Assert.Equal("memberLogits", Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate("m", flat, targets, CombinationRule.MeanProbabilities)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate("m", logits, shortTargets, CombinationRule.MeanProbabilities)).ParamName);
        var range = Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate("m", logits, outside, CombinationRule.MeanProbabilities));
        Assert.Equal("targets", range.ParamName);
        Assert.Contains("value 5 at index 2", range.Message);
        var notFinite = Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate("m", nan, targets, CombinationRule.MeanProbabilities));
        Assert.Equal("memberLogits", notFinite.ParamName);
        Assert.Contains("NaN", notFinite.Message);
        Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate(" ", logits, targets, CombinationRule.MeanProbabilities));
    }

    [Fact]
    public void LeavesNoLiveTensors()
    {
        using var logits = HandLogits();
        using var targets = HandTargets();
        using var outside = tensor(new long[] { 0, 1, 5, 0 });
        void Run()
        {
            SelectiveEvaluation.Evaluate("hand", logits, targets, CombinationRule.MajorityVote);
            Assert.Throws<ArgumentException>(() => SelectiveEvaluation.Evaluate("hand", logits, outside, CombinationRule.MeanLogits));
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }

    static (SelectiveReport Report, double Accuracy) Direct(Tensor probs, Tensor targets)
    {
        var confidence = probs.amax(1).data<double>().ToArray();
        var correct = probs.argmax(1).eq(targets).data<bool>().ToArray();
        return (SelectivePrediction.Evaluate(confidence, correct), correct.Count(c => c) / (double)correct.Length);
    }

    static void AssertRow(SelectiveRow row, double accuracy, double aurc, double oracle, double eAurc, double at50, double atHigh)
    {
        Assert.Equal(accuracy, row.Accuracy, 12);
        Assert.Equal(aurc, row.Aurc, 12);
        Assert.Equal(oracle, row.OracleAurc, 12);
        Assert.Equal(eAurc, row.EAurc, 12);
        Assert.Equal(at50, row.AccuracyAt50, 12);
        Assert.Equal(atHigh, row.AccuracyAt90, 12);
        Assert.Equal(atHigh, row.AccuracyAt95, 12);
        Assert.Equal(atHigh, row.AccuracyAt99, 12);
    }
}
