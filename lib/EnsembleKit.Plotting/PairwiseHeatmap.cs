using EnsembleKit.Evaluation;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Heatmap of a pairwise matrix <c>[M, M]</c> (weight cosine, prediction disagreement, KL, correlation, hash distance;
    /// e.g. from <see cref="Diversity.DiversityMetric"/>), with the same labels on both axes (members, checkpoints or epochs),
    /// the first label at the top-left as in a table, and each value printed in its cell. <paramref name="valueName"/> titles
    /// the colour bar; <paramref name="range"/> fixes the colour scale (e.g. (-1, 1) for cosine, (0, 1) for disagreement),
    /// otherwise it spans the data. With <paramref name="showValues"/> false the cells carry no text (for large matrices,
    /// e.g. every checkpoint of several runs); hovering still shows each value.
    /// </summary>
    public static GenericChart PairwiseHeatmap(double[,] matrix, IReadOnlyList<string> labels, string title, string valueName,
        (double Min, double Max)? range = null, string valueFormat = "F2", bool showValues = true)
    {
        int m = matrix.GetLength(0);
        if (matrix.GetLength(1) != m || labels.Count != m)
            throw new ArgumentException($"a pairwise matrix must be [M, M] with M labels; got [{matrix.GetLength(0)}, {matrix.GetLength(1)}] and {labels.Count} labels.", nameof(matrix));
        if (m == 0) throw new ArgumentException("the matrix is empty.", nameof(matrix));
        var heatmap = TableOrderedHeatmap(matrix, labels, labels, valueName, range, valueFormat, showValues);
        int side = Math.Clamp(160 + 45 * m, 420, 900);
        return ChartStyle.Titled(heatmap, title, "", "", width: side + 120, height: side);
    }

    /// <summary>
    /// The pairwise output correlations of one set of children (<see cref="OutputCorrelationSummary.Matrix"/>) as a
    /// <see cref="PairwiseHeatmap"/>: labels "child 1", "child 2", ..., title "NAME: output correlation between children",
    /// values with 3 decimals.
    /// </summary>
    public static GenericChart OutputCorrelation(OutputCorrelationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var labels = Enumerable.Range(1, summary.Members).Select(i => $"child {i}").ToList();
        return PairwiseHeatmap(summary.Matrix, labels, $"{summary.Name}: output correlation between children", "correlation", valueFormat: "F3");
    }
}
