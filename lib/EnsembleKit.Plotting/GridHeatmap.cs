using System.Globalization;
using Microsoft.FSharp.Core;
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
        // Plotly draws the first row at the bottom: reverse the rows so the first label is on top.
        var order = Enumerable.Range(0, rows).Reverse().ToArray();
        var z = order.Select(i => Enumerable.Range(0, columns).Select(j => values[i, j]).ToArray()).ToArray();
        var colorBar = FSharpInterop.Call(typeof(ColorBar), "init", [typeof(double), typeof(string)], ("Title", FSharpInterop.Call(typeof(Title), "init", [], ("Text", valueName))));
        var heatmap = (GenericChart)FSharpInterop.Call(PlotlyTypes.Heatmap, "Heatmap", [typeof(double[]), typeof(double), typeof(string), typeof(string), typeof(string)],
            ("zData", (object)z), ("X", columnLabels.ToArray()), ("Y", order.Select(i => rowLabels[i]).ToArray()),
            ("Name", valueName), ("ColorScale", StyleParam.Colorscale.Viridis), ("ColorBar", colorBar));
        heatmap = GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            if (valueFormat is not null)
            {
                trace.SetProperty("text", order.Select(i => Enumerable.Range(0, columns).Select(j => values[i, j].ToString(valueFormat, CultureInfo.InvariantCulture)).ToArray()).ToArray());
                trace.SetProperty("texttemplate", "%{text}");
            }
            if (range is { } r)
            {
                trace.SetProperty("zmin", r.Min);
                trace.SetProperty("zmax", r.Max);
            }
            return trace;
        }), heatmap);
        return ChartStyle.Titled(heatmap, title, xTitle, yTitle, width: Math.Clamp(220 + 70 * columns, 500, 1000), height: Math.Clamp(180 + 50 * rows, 380, 800));
    }
}
