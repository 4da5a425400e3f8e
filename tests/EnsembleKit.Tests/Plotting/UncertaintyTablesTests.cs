using System.Text.Json.Nodes;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Plotting;
using EnsembleKit.Uncertainty;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 17's tables and charts: the values they show, from hand-made reports and logits.</summary>
public sealed class UncertaintyTablesTests
{
    static JsonNode Figure(GenericChart chart) => JsonNode.Parse(GenericChart.toJson(chart))!;

    static double[] Values(JsonNode trace, string axis) => trace[axis]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void EnsembleScoresShowEachReportsEnsembleRowRounded()
    {
        var row = new ScoreRow("ensemble", 3, Accuracy: 0.912345, Nll: 0.123456, Ece: 0.0123456, Brier: 0.134567, CalibratedNll: 0.111111);
        var frame = Tables.EnsembleScores([new EnsembleReport("deep ensemble", CombinationRule.MeanProbabilities, [], row, null)]);
        Assert.Equal(["Method", "Members", "AccuracyPercent", "NLL", "CalibratedNLL", "ECE", "Brier"], frame.Columns.Select(c => c.Name));
        Assert.Equal("deep ensemble", frame.Columns["Method"][0]);
        Assert.Equal(3, frame.Columns["Members"][0]);
        Assert.Equal(91.23, frame.Columns["AccuracyPercent"][0]);
        Assert.Equal(0.1235, frame.Columns["NLL"][0]);
        Assert.Equal(0.1111, frame.Columns["CalibratedNLL"][0]);
        Assert.Equal(0.0123, frame.Columns["ECE"][0]);
        Assert.Equal(0.1346, frame.Columns["Brier"][0]);
    }

    [Fact]
    public void OodAndSelectiveRowsRounded()
    {
        var ood = Tables.OutOfDistribution([new OodRow("SWAG", "MNIST digits", UncertaintyMeasure.MutualInformation, 0.87654, 0.81111, 0.92222, 0.45555)]);
        Assert.Equal(["Method", "Measure", "AUROC", "AUPRIn", "AUPROut", "FPR95"], ood.Columns.Select(c => c.Name));
        Assert.Equal("MutualInformation", ood.Columns["Measure"][0]);
        Assert.Equal([0.8765, 0.8111, 0.9222, 0.4556], new[] { "AUROC", "AUPRIn", "AUPROut", "FPR95" }.Select(c => (double)ood.Columns[c][0]!));

        var ensemble = new SelectiveRow("ensemble", 2, 0.9, Aurc: 0.0123456, OracleAurc: 0.005, EAurc: 0.0073456, AccuracyAt50: 0.99876, AccuracyAt90: 0.95432, AccuracyAt95: 0.93, AccuracyAt99: 0.91);
        var selective = Tables.Selective([new SelectiveEvaluationReport("snapshot", CombinationRule.MeanProbabilities, [], ensemble)]);
        Assert.Equal(["Method", "AURC", "EAURC", "AccuracyAt90", "AccuracyAt50"], selective.Columns.Select(c => c.Name));
        Assert.Equal([0.01235, 0.00735, 95.43, 99.88], new[] { "AURC", "EAURC", "AccuracyAt90", "AccuracyAt50" }.Select(c => (double)selective.Columns[c][0]!));
    }

    /// <summary>Clean 90 % / ECE 0.02; two corruptions at severities 1, 3 and 5, the ensemble at 80/70, 60/50, 40/20 %; members beside.</summary>
    static CorruptionEvaluationReport Shift(string method)
    {
        var rows = new List<CorruptionRow> { new("clean", 0, "member 1", 1, 0.88, 0.4, 0.03, 0.2), new("clean", 0, "ensemble", 2, 0.90, 0.3, 0.02, 0.15) };
        foreach (var (corruption, shift) in new[] { ("noise", 0.0), ("blur", 0.1) })
            foreach (var (severity, accuracy) in new[] { (1, 0.8), (3, 0.6), (5, 0.4) })
            {
                double a = accuracy - shift * (severity == 5 ? 2 : 1);
                rows.Add(new(corruption, severity, "member 1", 1, a - 0.05, 1, 0.2, 0.5));
                rows.Add(new(corruption, severity, "ensemble", 2, a, 1, 0.01 * severity + shift, 0.5));
            }
        return new CorruptionEvaluationReport(method, CombinationRule.MeanProbabilities, rows);
    }

    [Fact]
    public void ShiftSummaryAndCurvesAverageTheEnsembleOverCorruptions()
    {
        var frame = Tables.ShiftSummary([Shift("deep ensemble")]);
        Assert.Equal(["Method", "Clean", "Severity1", "Severity3", "Severity5", "EceClean", "EceSeverity5"], frame.Columns.Select(c => c.Name));
        Assert.Equal([90.0, 75.0, 55.0, 30.0], new[] { "Clean", "Severity1", "Severity3", "Severity5" }.Select(c => (double)frame.Columns[c][0]!));
        Assert.Equal(0.02, frame.Columns["EceClean"][0]);
        Assert.Equal(0.1, frame.Columns["EceSeverity5"][0]);   // (0.05 + 0.15) / 2

        var chart = Figure(Charts.ShiftCurves([Shift("a"), Shift("b")], r => r.Accuracy * 100, "accuracy under shift", "accuracy, %"));
        var traces = chart["data"]!.AsArray();
        Assert.Equal(["a", "b"], traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([0.0, 1, 3, 5], Values(traces[0]!, "x"));
        Assert.Equal([90.0, 75, 55, 30], Values(traces[0]!, "y").Select(v => Math.Round(v, 9)));
        var report = Shift("c") with { Rows = Shift("c").Rows.Where(r => r.Severity != 3).ToList() };
        Assert.Throws<ArgumentOutOfRangeException>(() => Tables.ShiftSummary([report]));
    }

    [Fact]
    public void RocAndRiskCoverageCurvesComeFromTheMeanPrediction()
    {
        // One member, four images: in-distribution confident (p 0.97, 0.88), OOD unsure (0.5, 0.73): a perfect separation.
        using var inLogits = tensor(new float[] { 3.5f, 0, 2, 0 }).reshape(1, 2, 2);
        using var outLogits = tensor(new float[] { 0, 0, 1, 0 }).reshape(1, 2, 2);
        var roc = Figure(Charts.OodRoc([("single", inLogits, outLogits)], "ROC"));
        var trace = roc["data"]![0]!;
        Assert.Equal("single", trace["name"]!.GetValue<string>());
        var expected = OodDetection.Roc(UncertaintyScores.MaxSoftmaxProbability(inLogits), UncertaintyScores.MaxSoftmaxProbability(outLogits));
        Assert.Equal(expected.Fpr, Values(trace, "x"));
        Assert.Equal(expected.Tpr, Values(trace, "y"));
        Assert.Equal(1.0, OodDetection.Auroc(UncertaintyScores.MaxSoftmaxProbability(inLogits), UncertaintyScores.MaxSoftmaxProbability(outLogits)));

        // Two members of two images: the mean prediction gets image 0 right (class 0) and image 1 wrong.
        using var members = tensor(new float[] { 2, 0, 0, 1, 1, 0, 0, 0.5f }).reshape(2, 2, 2);
        using var targets = tensor(new long[] { 0, 0 });
        var risk = Figure(Charts.RiskCoverage([("pair", members, CombinationRule.MeanProbabilities)], targets, "risk"))["data"]![0]!;
        Assert.Equal(0.5, Values(risk, "y")[^1]);      // everything kept: one error in two
        Assert.Equal(1.0, Values(risk, "x")[^1]);
        Assert.Equal(0.0, Values(risk, "y")[0]);       // the confident, correct image alone
    }
}
