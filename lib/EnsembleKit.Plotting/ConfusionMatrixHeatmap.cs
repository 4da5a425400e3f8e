using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Heatmap of a confusion matrix <c>[C, C]</c> (row = true class, column = predicted class, as
    /// <see cref="Metrics.Metric.ConfusionMatrix"/> returns it), drawn with the first class at the top.
    /// </summary>
    public static GenericChart ConfusionMatrix(long[,] matrix, IReadOnlyList<string> classNames, string title = "Confusion matrix (test set)")
    {
        int classes = matrix.GetLength(0);
        if (matrix.GetLength(1) != classes || classNames.Count != classes)
            throw new ArgumentException($"a confusion matrix must be [C, C] with C class names; got [{matrix.GetLength(0)}, {matrix.GetLength(1)}] and {classNames.Count} names.", nameof(matrix));
        // Plotly draws the first row at the bottom: reverse the rows so class 0 is on top, as in a table.
        var rows = Enumerable.Range(0, classes).Reverse()
            .Select(t => Enumerable.Range(0, classes).Select(p => matrix[t, p]).ToArray()).ToArray();
        var heatmap = (GenericChart)FSharpInterop.Call(PlotlyTypes.Heatmap, "Heatmap", [typeof(long[]), typeof(long), typeof(string), typeof(string), typeof(string)],
            ("zData", (object)rows), ("X", classNames.ToArray()), ("Y", classNames.Reverse().ToArray()),
            ("Name", "count"), ("ColorScale", StyleParam.Colorscale.YIGnBu));
        return ChartStyle.Titled(heatmap, title, "Predicted class", "True class", width: 700, height: 600);
    }
}
