using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Heatmap of a value over a two-parameter grid <c>[rows, columns]</c>, e.g. child accuracy over mutation sparsity
    /// (rows) × noise strength (columns) (seed 002 §4.3.1), with the first row at the top as in a table and each value
    /// printed in its cell (<paramref name="valueFormat"/>; null prints nothing). <paramref name="range"/> fixes the colour
    /// scale, otherwise it spans the data.
    /// </summary>
    public static GenericChart GridHeatmap(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string title, string xTitle, string yTitle, string valueName, (double Min, double Max)? range = null, string? valueFormat = "F2")
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        if (rowLabels.Count != rows || columnLabels.Count != columns)
            throw new ArgumentException($"a [{rows}, {columns}] grid needs {rows} row and {columns} column labels; got {rowLabels.Count} and {columnLabels.Count}.", nameof(values));
        if (rows == 0 || columns == 0) throw new ArgumentException("the grid is empty.", nameof(values));
        var heatmap = TableOrderedHeatmap(values, rowLabels, columnLabels, valueName, range, valueFormat, showText: true);
        return ChartStyle.Titled(heatmap, title, xTitle, yTitle, width: Math.Clamp(220 + 70 * columns, 500, 1000), height: Math.Clamp(180 + 50 * rows, 380, 800));
    }
}
