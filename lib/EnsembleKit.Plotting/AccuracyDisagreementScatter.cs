using EnsembleKit.Diversity;
using EnsembleKit.WeightSpace;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Accuracy (%) against prediction disagreement with a base solution, one marker colour per group (Fort et al. 2019 Fig. 5 /
    /// seed 001 E1.7: samples from each subspace around θ* vs independently trained solutions). With
    /// <paramref name="baseAccuracy"/> the base solution itself is drawn at disagreement 0.
    /// </summary>
    public static GenericChart AccuracyVsDisagreement(IEnumerable<(string Group, IReadOnlyList<(double Disagreement, double Accuracy)> Points)> groups,
        double? baseAccuracy = null, string title = "Accuracy vs disagreement with the base solution")
    {
        var charts = groups.Select(g => (GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Point", [typeof(double), typeof(double), typeof(string)],
            ("x", g.Points.Select(p => p.Disagreement).ToArray()), ("y", g.Points.Select(p => p.Accuracy * 100).ToArray()),
            ("Name", g.Group))).ToList();
        if (charts.Count == 0) throw new ArgumentException("no groups to plot.", nameof(groups));
        if (baseAccuracy is { } b)
            charts.Add((GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Point", [typeof(double), typeof(double), typeof(string)],
                ("x", new[] { 0.0 }), ("y", new[] { b * 100 }), ("Name", "base solution"),
                ("MarkerSymbol", StyleParam.MarkerSymbol.Star), ("MarkerColor", Color.fromString("black"))));
        return ChartStyle.Titled(Chart.combine(charts), title, "Fraction of test inputs predicted differently from the base solution",
            "Test accuracy, % (higher is better)");
    }

    /// <summary>The samples of a <see cref="SubspaceSamplingResult"/> grouped by method, plus any <paramref name="extraGroups"/> (e.g. independent solutions).</summary>
    public static GenericChart AccuracyVsDisagreement(SubspaceSamplingResult result,
        IEnumerable<(string Group, IReadOnlyList<(double Disagreement, double Accuracy)> Points)>? extraGroups = null,
        string title = "Subspace samples around one solution: accuracy vs disagreement") =>
        AccuracyVsDisagreement(result.Groups().Concat(extraGroups ?? []), result.BaseAccuracy, title);
}
