using System.Reflection;
using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Metrics;
using EnsembleKit.Plotting;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Plotting;

/// <summary>
/// Every public chart builder of <see cref="Charts"/> called on small inputs (with the variants that reach different
/// Plotly.NET members), each chart serialised as the notebook kernel does: <see cref="GenericChart.toJson"/> and
/// <see cref="GenericChart.toChartHTML"/> (what Plotly.NET.Interactive renders). <see cref="FSharpCore10GalleryTests"/>
/// runs it inside a load context whose FSharp.Core is 10.0; its results use only BCL types so they cross contexts.
/// The private TableOrderedHeatmap is reached through GridHeatmap and PairwiseHeatmap.
/// </summary>
public static class ChartGallery
{
    /// <summary>
    /// How a builder is named in the gallery: method name and first parameter name, e.g. "AccuracyVsDisagreement(result)",
    /// which tells the overloads apart.
    /// </summary>
    public static string Key(MethodInfo builder) => $"{builder.Name}({builder.GetParameters().FirstOrDefault()?.Name})";

    /// <summary>The builders to cover: every public static method of <see cref="Charts"/> that returns a chart.</summary>
    public static IEnumerable<MethodInfo> Builders(Type charts) =>
        charts.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType.FullName == "Plotly.NET.GenericChart");

    /// <summary>
    /// (builder key, case, Plotly JSON, length of the chart's HTML, error) for every case, in order. A case that throws
    /// has a null JSON and the exception (type, message, stack) as its error; the other cases still run.
    /// </summary>
    public static List<(string Builder, string Case, string? Json, int HtmlLength, string? Error)> Render()
    {
        var results = new List<(string, string, string?, int, string?)>();
        foreach (var (builder, @case, build) in Cases())
        {
            try
            {
                var chart = build();
                results.Add((builder, @case, GenericChart.toJson(chart), GenericChart.toChartHTML(chart).Length, null));
            }
            catch (Exception e)
            {
                results.Add((builder, @case, null, 0, e.ToString()));
            }
        }
        return results;
    }

    /// <summary><see cref="Tables.ToDataFrame{T}(IEnumerable{T})"/> on two records: column names and row count.</summary>
    public static (string[] Columns, long Rows) Table()
    {
        var frame = Tables.ToDataFrame([new ClassificationReport("member 1", 0.88, 0.4, 0.03, 0.18), new ClassificationReport("ensemble", 0.89, 0.35, 0.02, 0.16)]);
        return (frame.Columns.Select(c => c.Name).ToArray(), frame.Rows.Count);
    }

    static IEnumerable<(string Builder, string Case, Func<GenericChart> Build)> Cases()
    {
        IReadOnlyList<(double, double)> random = [(0.01, 0.88), (0.05, 0.86)];
        IReadOnlyList<(double, double)> independent = [(0.12, 0.87)];
        yield return ("AccuracyVsDisagreement(groups)", "groups and the base solution",
            () => Charts.AccuracyVsDisagreement([("random direction", random), ("independent runs", independent)], baseAccuracy: 0.885));
        yield return ("AccuracyVsDisagreement(groups)", "groups only",
            () => Charts.AccuracyVsDisagreement([("random direction", random)]));
        var sampling = new SubspaceSamplingResult(0.9, [0, 1], null,
            [new SubspaceSample("dropout", 0.9, 0.85, 0.5, [0, 0], null), new SubspaceSample("random direction", 0.1, 0.9, 0.0, [0, 1], null)]);
        yield return ("AccuracyVsDisagreement(result)", "sampling result and independent runs",
            () => Charts.AccuracyVsDisagreement(sampling, [("independent runs", independent)]));

        yield return ("ConfusionMatrix(matrix)", "2 classes", () => Charts.ConfusionMatrix(new long[,] { { 5, 1 }, { 2, 7 } }, ["cat", "dog"]));

        var surface = new DecisionSurface([-1.0, 0.0, 1.0], [0.0, 1.0], new double[,] { { 0.1, 0.5, 0.9 }, { 0.2, 0.6, 0.95 } }, 1);
        yield return ("ImageStrip(maps)", "two maps", () =>
        {
            using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
            using var b = tensor(new float[] { 0, 5, 10, 2.5f }, [2, 2]);
            return Charts.ImageStrip([a, b], ["parent", "child"], "SmoothGrad", "saliency");
        }
        );
        yield return ("DecisionSurface(surface)", "surface only", () => Charts.DecisionSurface(surface));
        yield return ("DecisionSurface(surface)", "surface and points", () =>
        {
            using var points = new TensorDataset(tensor(new float[] { -1, 0, 0, 1, 1, 1 }, [3, 2]), tensor(new long[] { 0, 1, 1 }), 2);
            return Charts.DecisionSurface(surface, points, "spiral");
        }
        );

        double[,] embedding = { { 20, 2 }, { 10, 1 }, { -1, -1 }, { 30, 3 }, { -2, -2 } };
        yield return ("EmbeddingScatter(embedding)", "trajectories with step labels",
            () => Charts.EmbeddingScatter(embedding, ["a", "a", "b", "a", "b"], [2, 1, 1, 3, 2]));
        yield return ("EmbeddingScatter(embedding)", "points without steps",
            () => Charts.EmbeddingScatter(embedding, ["a", "a", "b", "a", "b"], connect: false));

        EnsembleKit.Evaluation.SizeSweepRow Sweep(string method, int k, double nll) =>
            new(method, k, new EnsembleKit.Evaluation.ScoreRow(method, k, 0.9, nll, 0, 0, nll), 1);
        yield return ("SizeSweep(rows)", "two methods against k", () => Charts.SizeSweep(
            [Sweep("deep", 1, 0.40), Sweep("snap", 1, 0.45), Sweep("deep", 5, 0.30), Sweep("snap", 5, 0.35)], ["deep", "snap"], r => r.CalibratedNll, "sweep", "calibrated NLL"));

        yield return ("TrajectoryAccuracy(runs)", "two runs", () => Charts.TrajectoryAccuracy(TrajectoryFixtures.TwoRuns(), "accuracy along the runs"));
        yield return ("TrajectoryTsne(embedding)", "two runs", () => Charts.TrajectoryTsne(TrajectoryEmbedding.Of(TrajectoryFixtures.TwoRuns(), epochs: 3), "t-SNE"));

        yield return ("EnsembleSizeCurve(curves)", "two curves", () => Charts.EnsembleSizeCurve(
            [("small CNN", (IReadOnlyList<EnsembleSizePoint>)[new(1, 0.80, 0), new(2, 0.83, 0.01)]), ("large CNN", [new(1, 0.85, 0), new(2, 0.87, 0)])]));

        double[,] grid = { { 97.2, 96.0, 80.5 }, { 97.6, 97.2, 95.1 } };
        yield return ("GridHeatmap(values)", "fixed range", () =>
            Charts.GridHeatmap(grid, ["dense", "0.9"], ["0.05", "0.1", "0.2"], "Child accuracy", "sigma", "sparsity", "accuracy, %", range: (50, 100), valueFormat: "F1"));
        yield return ("GridHeatmap(values)", "no cell text", () =>
            Charts.GridHeatmap(grid, ["dense", "0.9"], ["0.05", "0.1", "0.2"], "Child accuracy", "sigma", "sparsity", "accuracy, %", valueFormat: null));

        yield return ("Lines(series)", "two series", () => Charts.Lines(
            [new LineSeries("naive", [2, 3], [0.8, 0.6]), new LineSeries("aligned", [2, 3], [0.85, 0.84])], "Averaged model accuracy", "members averaged", "test accuracy"));

        ClassificationReport[] reports = [new("member 1", 0.8797, 0.4, 0.03, 0.18), new("member 2", 0.8428, 0.5, 0.04, 0.2), new("ensemble", 0.8854, 0.35, 0.02, 0.16)];
        yield return ("MetricBars(reports)", "accuracy", () => Charts.MetricBars(reports, ReportMetric.Accuracy));
        yield return ("MetricBars(reports)", "ECE", () => Charts.MetricBars(reports, ReportMetric.Ece));

        double[,] cosine = { { 1, 0.25 }, { 0.25, 1 } };
        yield return ("PairwiseHeatmap(matrix)", "values printed, fixed range",
            () => Charts.PairwiseHeatmap(cosine, ["run 1", "run 2"], "Weight cosine similarity", "cosine", range: (-1, 1)));
        yield return ("PairwiseHeatmap(matrix)", "hover only", () => Charts.PairwiseHeatmap(cosine, ["run 1", "run 2"], "t", "v", showValues: false));

        yield return ("ReliabilityDiagram(predictors)", "one predictor, an empty bin", () => Charts.ReliabilityDiagram(
            [("ensemble", (IReadOnlyList<CalibrationBin>)[new(0, 0.5, 0, 0, 0), new(0.5, 1, 4, 0.75, 0.9)])]));

        yield return ("TrainingCurves(histories)", "two members", () => Charts.TrainingCurves([History("member 1/2", 1.0, 0.5), History("member 2/2", 0.9, 0.4)]));

        yield return ("OodRoc(methods)", "one method", () =>
        {
            using var inLogits = tensor(new float[] { 3, 0, 2, 0 }, [1, 2, 2]);
            using var outLogits = tensor(new float[] { 0, 0, 1, 0 }, [1, 2, 2]);
            return Charts.OodRoc([("single", inLogits, outLogits)], "ROC");
        }
        );
        yield return ("RiskCoverage(methods)", "one method", () =>
        {
            using var members = tensor(new float[] { 2, 0, 0, 1, 1, 0, 0, 0.5f }, [2, 2, 2]);
            using var targets = tensor(new long[] { 0, 0 });
            return Charts.RiskCoverage([("pair", members, EnsembleKit.Ensembles.CombinationRule.MeanProbabilities)], targets, "risk-coverage");
        }
        );
        EnsembleKit.Evaluation.CorruptionEvaluationReport Shift(string method) => new(method, EnsembleKit.Ensembles.CombinationRule.MeanProbabilities,
            [new("clean", 0, "ensemble", 2, 0.9, 0.3, 0.02, 0.1), new("noise", 1, "ensemble", 2, 0.8, 0.5, 0.04, 0.2), new("noise", 5, "ensemble", 2, 0.6, 0.9, 0.08, 0.4)]);
        yield return ("ShiftCurves(reports)", "two methods", () => Charts.ShiftCurves([Shift("a"), Shift("b")], r => r.Accuracy * 100, "accuracy under shift", "accuracy, %"));

        EnsembleKit.Subnetworks.PruningSweepRun Run(string method, double sparsity, double accuracy) =>
            new("Random", "constant", method, sparsity, "", 0, accuracy, [new EvaluationRecord(0, accuracy, 1)], 1, sparsity);
        var pruning = new EnsembleKit.Subnetworks.PruningSweepResult([Run("one-shot", 0.5, 0.8), Run("one-shot", 0.9, 0.6), Run("iterative", 0.5, 0.81), Run("iterative", 0.9, 0.7)]);
        yield return ("PruningSweep(sweep)", "accuracy", () => Charts.PruningSweep(pruning, "Random", "constant", ["one-shot", "iterative"], [0.5, 0.9], "accuracy"));
        yield return ("PruningSweep(sweep)", "gain over one-shot", () => Charts.PruningSweep(pruning, "Random", "constant", ["iterative"], [0.5, 0.9], "gain", baseline: "one-shot"));
        yield return ("PruningCurves(sweep)", "two methods", () => Charts.PruningCurves(pruning, "Random", "constant", ["one-shot", "iterative"], 0.9, "curves"));

        var trustRegion = new EnsembleKit.Subnetworks.TrustRegionResult(
            [new(0.05, 0.0, 0.01, 0.001, 0.95, true), new(0.1, 0.0, 0.05, 0.004, 0.9, false), new(0.05, 0.9, 0.001, 0.0001, 0.97, true), new(0.1, 0.9, 0.01, 0.001, 0.96, true)],
            0.02, 0.97);
        yield return ("TrustRegionGrid(grid)", "accuracy", () => Charts.TrustRegionGrid(trustRegion, p => p.MeanAccuracy * 100, "accuracy", "accuracy, %", "F1"));
        yield return ("AverageVersusVote(sweep)", "two strengths", () => Charts.AverageVersusVote(
            [new(0.01, 0.02, 0.88, 0.89, 0.885), new(0.1, 0.3, 0.7, 0.8, 0.75)], "average vs vote"));
        yield return ("AccuracyDropAgainstKl(grid)", "four points", () => Charts.AccuracyDropAgainstKl(trustRegion, "drop against KL"));
        yield return ("KlAgainstSigma(grid)", "two sparsities", () => Charts.KlAgainstSigma(trustRegion, "KL against sigma"));

        yield return ("AnnealingActivity(tuneEpochs)", "per step", () => Charts.AnnealingActivity(3, 2, perStep: true, sparsity: 0.9, temperature: 0.5));
        yield return ("Lines(title)", "titles first", () => Charts.Lines("Averaged model accuracy", "members", "accuracy", new LineSeries("naive", [2, 3], [0.8, 0.6])));

        InterpolationCurve Curve(string label, double barrier) => new(label, [new(0, 0.3, 0.9), new(0.5, 0.3 + barrier, 0.7), new(1, 0.3, 0.9)]);
        yield return ("InterpolationLoss(curves)", "raw and aligned", () => Charts.InterpolationLoss([Curve("raw", 1.2), Curve("aligned", 0.1)], "loss between two members"));
        yield return ("MergeSweep(rows)", "M = 2, 3", () => Charts.MergeSweep([new EnsembleKit.Experiments.MergeSweepRow(2, 60, 85, 89), new(3, 30, 84, 89.5)]));
        yield return ("MultiViewMethods(rows)", "one data set", () => Charts.MultiViewMethods(
            new[] { "single model 1", "single model (mean)", "ensemble", "sum", "KD", "self-distillation" }.Select((m, i) =>
                new EnsembleKit.Experiments.MultiViewComparisonRow("multi-view", m, 90 + i, 80 + i, 99))));
        yield return ("MotherNetsVersusSse(motherNetCurve)", "two curves", () => Charts.MotherNetsVersusSse([80, 85, 86], [70, 86, 87], 84, 88, 4));
        yield return ("OutputCorrelation(summary)", "two children", () => Charts.OutputCorrelation(
            new EnsembleKit.Evaluation.OutputCorrelationSummary("NP", 2, 0.9, 0.95, 0, new double[,] { { 1, 0.95 }, { 0.95, 1 } })));

        EnsembleKit.Evaluation.ScoreRow Score(string name, int k, double accuracy, double nll) => new(name, k, accuracy, nll, 0.02, 0.1, nll - 0.05);
        var report = new EnsembleKit.Evaluation.EnsembleReport("deep ensemble", EnsembleKit.Ensembles.CombinationRule.MeanLogits,
            [Score("member 1", 1, 0.88, 0.4), Score("member 2", 1, 0.87, 0.42)], Score("ensemble", 2, 0.9, 0.35), null);
        yield return ("MemberMetricBars(report)", "accuracy", () => Charts.MemberMetricBars(report, ReportMetric.Accuracy));
        IEnumerable<EnsembleKit.Evaluation.ScoreRow> Grown(string name) => [Score(name, 1, 0.85, 0.5), Score(name, 2, 0.88, 0.42)];
        yield return ("ErrorBySize(title)", "two curves", () => Charts.ErrorBySize("error by size", "members", ("SE", Grown("SE")), ("NoCycle", Grown("NoCycle"))));
        yield return ("NllBySize(title)", "two curves", () => Charts.NllBySize("NLL by size", "members", ("SE", Grown("SE")), ("NoCycle", Grown("NoCycle"))));
        yield return ("CalibratedNllBySize(title)", "one curve", () => Charts.CalibratedNllBySize("calibrated NLL by size", "members", ("FGE", Grown("FGE"))));
        yield return ("ReliabilityDiagramOf(predictors)", "two predictors", () =>
        {
            using var member = tensor(new float[] { 0.9f, 0.1f, 0.3f, 0.7f, 0.6f, 0.4f }, [3, 2]);
            using var ensemble = tensor(new float[] { 0.8f, 0.2f, 0.4f, 0.6f, 0.55f, 0.45f }, [3, 2]);
            using var targets = tensor(new long[] { 0, 1, 1 });
            return Charts.ReliabilityDiagramOf([("member 1", member), ("ensemble", ensemble)], targets);
        }
        );
    }

    static TrainingHistory History(string label, params double[] losses)
    {
        var h = new TrainingHistory(label);
        for (int e = 0; e < losses.Length; e++) h.Add(new EpochRecord(e, losses[e], 0.1, 1));
        return h;
    }
}
