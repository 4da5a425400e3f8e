using EnsembleKit.Uncertainty;

namespace EnsembleKit.Tests.Uncertainty;

public class SelectivePredictionTests
{
    /// <summary>Four samples without ties, worked by hand.</summary>
    [Fact]
    public void HandComputedAurc()
    {
        double[] confidence = [0.6, 0.9, 0.7, 0.8];
        bool[] correct = [false, true, true, false];
        // Sorted: 0.9 ✓, 0.8 ✗, 0.7 ✓, 0.6 ✗ → risks 0, 1/2, 1/3, 2/4.
        var curve = SelectivePrediction.RiskCoverage(confidence, correct);
        Assert.Equal([0.25, 0.5, 0.75, 1], curve.Coverage);
        Assert.Equal([0, 0.5, 1.0 / 3, 0.5], curve.Risk);
        Assert.Equal([0.9, 0.8, 0.7, 0.6], curve.Confidence);
        // AURC = (0 + 1/2 + 1/3 + 1/2) / 4 = 1/3; the oracle (2 errors last): (1/3 + 2/4) / 4 = 5/24.
        Assert.Equal(1.0 / 3, SelectivePrediction.Aurc(confidence, correct), 15);
        Assert.Equal(5.0 / 24, SelectivePrediction.OracleAurc(4, 2), 15);
        Assert.Equal(1.0 / 3 - 5.0 / 24, SelectivePrediction.EAurc(confidence, correct), 15);
        // Coverage 50 %: k = 2; 90 %: k = ⌈3.6⌉ = 4; 25 %: k = 1; 1 %: k = 1 (at least one).
        Assert.Equal(0.5, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.5), 15);
        Assert.Equal(0.5, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.9), 15);
        Assert.Equal(1.0, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.25), 15);
        Assert.Equal(1.0, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.01), 15);
        Assert.Equal(2.0 / 3, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.75), 15);
    }

    /// <summary>Ties: the risk inside a tie group is its expectation over the order of the group.</summary>
    [Fact]
    public void TiesAreBrokenByExpectation()
    {
        double[] confidence = [0.5, 0.9, 0.5, 0.5];
        bool[] correct = [false, true, true, false];
        // 0.9 ✓, then a group of three with two errors: risks 0, (1·2/3)/2, (2·2/3)/3, 2/4.
        var curve = SelectivePrediction.RiskCoverage(confidence, correct);
        Assert.Equal(0, curve.Risk[0], 15);
        Assert.Equal(1.0 / 3, curve.Risk[1], 15);
        Assert.Equal(4.0 / 9, curve.Risk[2], 15);
        Assert.Equal(0.5, curve.Risk[3], 15);
        Assert.Equal(23.0 / 72, SelectivePrediction.Aurc(confidence, correct), 15);
        // Any order of the tied samples gives the same numbers.
        Assert.Equal(curve.Risk, SelectivePrediction.RiskCoverage([0.5, 0.5, 0.9, 0.5], [true, false, true, false]).Risk);
        // All confidences equal: every coverage has the overall error rate.
        Assert.All(SelectivePrediction.RiskCoverage([1, 1, 1, 1], [true, false, true, true]).Risk, r => Assert.Equal(0.25, r, 15));
    }

    [Fact]
    public void PerfectRankingHasNoExcessAndNoErrorsNoRisk()
    {
        double[] confidence = [0.1, 0.9, 0.8, 0.2, 0.7];
        bool[] correct = [false, true, true, false, true];
        Assert.Equal(0, SelectivePrediction.EAurc(confidence, correct), 15);
        Assert.Equal(SelectivePrediction.OracleAurc(5, 2), SelectivePrediction.Aurc(confidence, correct), 15);
        Assert.Equal(0, SelectivePrediction.Aurc(confidence, [true, true, true, true, true]));
        Assert.Equal(0, SelectivePrediction.OracleAurc(5, 0));
        Assert.Equal(1, SelectivePrediction.OracleAurc(5, 5));
        // The worst ranking: the three errors first. Risks at coverage 1/5 .. 5/5 are 1, 1, 1, 3/4, 3/5 (AURC 0.87); the
        // oracle's with 3 errors in 5 are 0, 0, 1/3, 2/4, 3/5 (0.28667): E-AURC = 7/12.
        Assert.Equal(7.0 / 12, SelectivePrediction.EAurc(confidence, correct.Select(c => !c).ToArray()), 12);
    }

    /// <summary>
    /// 200 samples, confidences rounded to 1 decimal (9 distinct values), from tests/reference/uncertainty_reference.py;
    /// the literals were printed by that script, whose plain-Python loops compute each risk from the counts above and
    /// tied with each sample (no shared code with the kit), under /usr/bin/python3 with numpy 1.24.2.
    /// </summary>
    [Fact]
    public void MatchesPythonReference()
    {
        var c = UncertaintyReference.Case("selective");
        double[] confidence = c.Doubles("confidence");
        bool[] correct = c.Bools("correct");
        var r = SelectivePrediction.Evaluate(confidence, correct);
        Assert.Equal(0.19198386779735524, r.Aurc, 14);
        Assert.Equal(0.09708988350967719, r.OracleAurc, 14);
        Assert.Equal(0.09489398428767805, r.EAurc, 14);
        Assert.Equal(0.804, r.AccuracyAt50, 14);
        Assert.Equal(0.6442028985507247, r.AccuracyAt90, 14);
        Assert.Equal(0.6263157894736842, r.AccuracyAt95, 14);
        Assert.Equal(0.601010101010101, r.AccuracyAt99, 14);
        UncertaintyReference.Equal(c.Doubles("risk"), r.Curve.Risk, 14);
        Assert.Equal(r.Aurc, SelectivePrediction.Aurc(confidence, correct));
        Assert.Equal(r.EAurc, SelectivePrediction.EAurc(confidence, correct));
        Assert.Equal(r.AccuracyAt95, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 0.95));
        // 0.95 · 200 is 190 samples, not 191; coverage 1 is the plain accuracy.
        Assert.Equal(1 - r.Curve.Risk[189], r.AccuracyAt95);
        Assert.Equal(correct.Count(x => x) / 200.0, SelectivePrediction.AccuracyAtCoverage(confidence, correct, 1), 14);
        // Runs repeat exactly.
        Assert.Equal(r.Curve.Risk, SelectivePrediction.Evaluate(confidence, correct).Curve.Risk);
    }

    [Fact]
    public void BadInputNamesTheArgumentAndValue()
    {
        double[] confidence = [0.2, 0.4];
        bool[] correct = [true, false];
        var e = Assert.Throws<ArgumentException>(() => SelectivePrediction.Aurc([], []));
        Assert.Equal("confidence", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => SelectivePrediction.RiskCoverage([0.2, double.NegativeInfinity], correct));
        Assert.Contains("confidence: value -Infinity at index 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => SelectivePrediction.EAurc(confidence, [true]));
        Assert.Equal("correct", e.ParamName);
        Assert.Contains("1 flags for 2", e.Message);
        Assert.Throws<ArgumentNullException>(() => SelectivePrediction.Evaluate(confidence, null!));
        foreach (double bad in new[] { 0, -0.5, 1.0000001, double.NaN })
        {
            var range = Assert.Throws<ArgumentOutOfRangeException>(() => SelectivePrediction.AccuracyAtCoverage(confidence, correct, bad));
            Assert.Equal("coverage", range.ParamName);
            Assert.Contains("outside (0, 1]", range.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectivePrediction.OracleAurc(3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => SelectivePrediction.OracleAurc(0, 0));
    }
}
