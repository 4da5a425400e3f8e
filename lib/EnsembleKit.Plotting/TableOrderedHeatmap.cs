using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// The Viridis heatmap behind <see cref="GridHeatmap"/> and <see cref="PairwiseHeatmap"/>: <c>values[rows, columns]</c>
    /// drawn as a table reads (Plotly puts the first row at the bottom, so the rows are reversed), each value as cell text in
    /// <paramref name="valueFormat"/> (null: none), printed in the cell when <paramref name="showText"/> (else on hover only),
    /// the colour scale fixed to <paramref name="range"/> when given. Labels and sizes are checked by the callers.
    /// </summary>
    static GenericChart TableOrderedHeatmap(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string valueName, (double Min, double Max)? range, string? valueFormat, bool showText)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var order = Enumerable.Range(0, rows).Reverse().ToArray();
        var z = order.Select(i => Enumerable.Range(0, columns).Select(j => values[i, j]).ToArray()).ToArray();
        var colorBar = FSharpInterop.Call(typeof(ColorBar), "init", [typeof(double), typeof(string)], ("Title", FSharpInterop.Call(typeof(Title), "init", [], ("Text", valueName))));
        var heatmap = (GenericChart)FSharpInterop.Call(PlotlyTypes.Heatmap, "Heatmap", [typeof(double[]), typeof(double), typeof(string), typeof(string), typeof(string)],
            ("zData", (object)z), ("X", columnLabels.ToArray()), ("Y", order.Select(i => rowLabels[i]).ToArray()),
            ("Name", valueName), ("ColorScale", StyleParam.Colorscale.Viridis), ("ColorBar", colorBar));
        return GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            if (valueFormat is not null)
            {
                // cell labels: plotly.js shows "text" in the cells through texttemplate
                trace.SetProperty("text", order.Select(i => Enumerable.Range(0, columns).Select(j => values[i, j].ToString(valueFormat, CultureInfo.InvariantCulture)).ToArray()).ToArray());
                if (showText) trace.SetProperty("texttemplate", "%{text}");
            }
            if (range is { } r)
            {
                trace.SetProperty("zmin", r.Min);
                trace.SetProperty("zmax", r.Max);
            }
            return trace;
        }), heatmap);
    }
}
