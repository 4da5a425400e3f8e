using EnsembleKit.Uncertainty;

namespace EnsembleKit.Tests.Uncertainty;

public class OodDetectionTests
{
    /// <summary>Four in-distribution and two OOD scores with ties across the sets, worked by hand.</summary>
    [Fact]
    public void HandComputedWithTies()
    {
        double[] ins = [0.9, 0.5, 0.5, 0.1], ood = [0.5, 0.3];
        // Pairs (in, ood) ranked right: 0.9 beats both (2), each 0.5 ties the OOD 0.5 (2 × ½) and beats 0.3 (2); 5 of 8.
        Assert.Equal(5.0 / 8, OodDetection.Auroc(ins, ood), 15);
        // Thresholds 0.9, 0.5, 0.3, 0.1 accept (tp, fp) = (1, 0), (3, 1), (3, 2), (4, 2):
        // AP-In = ¼·1 + ½·¾ + 0·⅗ + ¼·4/6.
        Assert.Equal(0.25 + 0.375 + 1.0 / 6, OodDetection.AuprIn(ins, ood), 15);
        // Negated, OOD positive: thresholds -0.1, -0.3, -0.5, -0.9 give (tp, fp) = (0, 1), (1, 1), (2, 3), (2, 4): ½·½ + ½·⅖.
        Assert.Equal(0.25 + 0.2, OodDetection.AuprOut(ins, ood), 15);
        // TPR reaches 0.95 only at threshold 0.1, which accepts both OOD scores; 0.75 is reached at 0.5 (one of two).
        Assert.Equal(1.0, OodDetection.FprAtTpr(ins, ood), 15);
        Assert.Equal(0.5, OodDetection.FprAtTpr(ins, ood, tpr: 0.75), 15);
        Assert.Equal(0.5, OodDetection.FprAtTpr(ins, ood, tpr: 0.5), 15);
        Assert.Equal(0.0, OodDetection.FprAtTpr(ins, ood, tpr: 0.25), 15);

        var roc = OodDetection.Roc(ins, ood);
        Assert.Equal([0, 0, 0.5, 1, 1], roc.Fpr);
        Assert.Equal([0, 0.25, 0.75, 0.75, 1], roc.Tpr);
        Assert.Equal([double.PositiveInfinity, 0.9, 0.5, 0.3, 0.1], roc.Thresholds);
        var pr = OodDetection.PrecisionRecall(ins, ood);
        Assert.Equal([1, 1, 0.75, 0.6, 4.0 / 6], pr.Precision);
        Assert.Equal([0, 0.25, 0.75, 0.75, 1], pr.Recall);
        var prOut = OodDetection.PrecisionRecall(ins, ood, oodAsPositive: true);
        Assert.Equal([double.PositiveInfinity, -0.1, -0.3, -0.5, -0.9], prOut.Thresholds);
        Assert.Equal([1, 0, 0.5, 0.4, 2.0 / 6], prOut.Precision);
    }

    [Fact]
    public void AllEqualScoresAreChance()
    {
        double[] ins = [1, 1, 1], ood = [1, 1];
        Assert.Equal(0.5, OodDetection.Auroc(ins, ood), 15);
        // One threshold accepts everything: precision = share of positives.
        Assert.Equal(0.6, OodDetection.AuprIn(ins, ood), 15);
        Assert.Equal(0.4, OodDetection.AuprOut(ins, ood), 15);
        Assert.Equal(1.0, OodDetection.FprAtTpr(ins, ood), 15);
    }

    [Fact]
    public void PerfectlySeparatedScores()
    {
        double[] ins = [3, 2, 2.5], ood = [1, 0, -4];
        var r = OodDetection.Evaluate(ins, ood);
        Assert.Equal(1.0, r.Auroc);
        Assert.Equal(1.0, r.AuprIn);
        Assert.Equal(1.0, r.AuprOut);
        Assert.Equal(0.0, r.FprAt95Tpr);
        Assert.Equal(2.0, r.Fpr95Threshold);
        // Reversed orientation: everything flips.
        Assert.Equal(0.0, OodDetection.Auroc(ood, ins));
        Assert.Equal(1.0, OodDetection.FprAtTpr(ood, ins));
    }

    /// <summary>
    /// 200 in-distribution and 150 OOD scores rounded to 1 decimal (41 and 40 distinct values, so many ties), from
    /// tests/reference/uncertainty_reference.py; the literals were printed by that script with scikit-learn 1.2.1
    /// (roc_auc_score, average_precision_score, roc_curve(drop_intermediate=False) read at the first TPR ≥ 0.95;
    /// drop_intermediate=True gives the same FPR95 here).
    /// </summary>
    [Fact]
    public void MatchesScikitLearn()
    {
        var c = UncertaintyReference.Case("ood");
        double[] ins = c.Doubles("in"), ood = c.Doubles("ood");
        var r = OodDetection.Evaluate(ins, ood);
        Assert.Equal(0.7863, r.Auroc, 14);
        Assert.Equal(0.8218278096120907, r.AuprIn, 14);
        Assert.Equal(0.7400237351618697, r.AuprOut, 14);
        Assert.Equal(0.6933333333333334, r.FprAt95Tpr, 15);
        Assert.Equal(-0.4, r.Fpr95Threshold);
        Assert.Equal(r.Auroc, OodDetection.Auroc(ins, ood));
        Assert.Equal(r.AuprIn, OodDetection.AuprIn(ins, ood));
        Assert.Equal(r.AuprOut, OodDetection.AuprOut(ins, ood));
        Assert.Equal(r.FprAt95Tpr, OodDetection.FprAtTpr(ins, ood));

        // The curves, point by point (sklearn's threshold-free end point left out: it differs across its versions).
        UncertaintyReference.Equal(c.Doubles("roc_fpr"), r.Roc.Fpr[1..], 15);
        UncertaintyReference.Equal(c.Doubles("roc_tpr"), r.Roc.Tpr[1..], 15);
        Assert.Equal(c.Doubles("roc_thresholds"), r.Roc.Thresholds[1..]);
        UncertaintyReference.Equal(c.Doubles("pr_in_precision"), r.PrIn.Precision[1..], 15);
        UncertaintyReference.Equal(c.Doubles("pr_in_recall"), r.PrIn.Recall[1..], 15);
        Assert.Equal(c.Doubles("pr_in_thresholds"), r.PrIn.Thresholds[1..]);
        UncertaintyReference.Equal(c.Doubles("pr_out_precision"), r.PrOut.Precision[1..], 15);
        UncertaintyReference.Equal(c.Doubles("pr_out_recall"), r.PrOut.Recall[1..], 15);
    }

    [Fact]
    public void InputOrderDoesNotMatterAndRunsRepeat()
    {
        var c = UncertaintyReference.Case("ood");
        double[] ins = c.Doubles("in"), ood = c.Doubles("ood");
        var first = OodDetection.Evaluate(ins, ood);
        var rng = new Random(7);
        double[] ins2 = ins.OrderBy(_ => rng.Next()).ToArray(), ood2 = ood.OrderBy(_ => rng.Next()).ToArray();
        var again = OodDetection.Evaluate(ins2, ood2);
        Assert.Equal(first.Auroc, again.Auroc);
        Assert.Equal(first.AuprIn, again.AuprIn);
        Assert.Equal(first.AuprOut, again.AuprOut);
        Assert.Equal(first.FprAt95Tpr, again.FprAt95Tpr);
        Assert.Equal(first.Roc.Fpr, again.Roc.Fpr);
        Assert.Equal(first.PrOut.Precision, again.PrOut.Precision);
        // The caller's arrays are left as they were.
        Assert.Equal(c.Doubles("in"), ins);
    }

    [Fact]
    public void BadInputNamesTheArgumentAndValue()
    {
        double[] ok = [0.1, 0.2];
        var e = Assert.Throws<ArgumentException>(() => OodDetection.Auroc(ok, []));
        Assert.Equal("oodScores", e.ParamName);
        Assert.Contains("empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => OodDetection.AuprOut([], ok));
        Assert.Equal("inScores", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => OodDetection.AuprIn([0.3, double.NaN], ok));
        Assert.Equal("inScores", e.ParamName);
        Assert.Contains("NaN at index 1", e.Message);
        e = Assert.Throws<ArgumentException>(() => OodDetection.Evaluate(ok, [double.PositiveInfinity]));
        Assert.Contains("oodScores: value Infinity at index 0", e.Message);
        Assert.Throws<ArgumentNullException>(() => OodDetection.Roc(null!, ok));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => OodDetection.FprAtTpr(ok, ok, tpr: 0));
        Assert.Equal("tpr", range.ParamName);
        Assert.Contains("0 is outside (0, 1]", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => OodDetection.FprAtTpr(ok, ok, tpr: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => OodDetection.FprAtTpr(ok, ok, tpr: double.NaN));
    }
}
