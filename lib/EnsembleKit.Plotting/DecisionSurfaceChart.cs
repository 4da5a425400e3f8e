using EnsembleKit.Analysis;
using EnsembleKit.Data;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// A <see cref="DecisionSurface"/> as a heatmap of the class probability (0 to 1 on Plotly's diverging RdBu scale: blue
    /// near 0, grey at 0.5 where the decision boundary runs, red near 1), optionally with the points of
    /// <paramref name="points"/> (inputs <c>[N, 2]</c>) drawn on top, one marker trace per class: the surface's class in
    /// dark red, the others in dark blue (class 0) or black.
    /// </summary>
    public static GenericChart DecisionSurface(DecisionSurface surface, TensorDataset? points = null, string title = "Decision surface")
    {
        ArgumentNullException.ThrowIfNull(surface);
        int rows = surface.Probability.GetLength(0), columns = surface.Probability.GetLength(1);
        if (rows != surface.Y.Count || columns != surface.X.Count)
            throw new ArgumentException($"the surface's grid is [{rows}, {columns}] but it has {surface.Y.Count} y and {surface.X.Count} x values.", nameof(surface));
        var z = Enumerable.Range(0, rows).Select(i => Enumerable.Range(0, columns).Select(j => surface.Probability[i, j]).ToArray()).ToArray();
        var colorBar = FSharpInterop.Call(typeof(ColorBar), "init", [typeof(double), typeof(string)],
            ("Title", FSharpInterop.Call(typeof(Title), "init", [], ("Text", $"P(class {surface.ClassIndex})"))));
        var heatmap = (GenericChart)FSharpInterop.Call(PlotlyTypes.Heatmap, "Heatmap", [typeof(double[]), typeof(double), typeof(double), typeof(double), typeof(string)],
            ("zData", (object)z), ("X", surface.X.ToArray()), ("Y", surface.Y.ToArray()), ("Name", $"P(class {surface.ClassIndex})"),
            ("ColorScale", StyleParam.Colorscale.RdBu), ("ColorBar", colorBar));
        heatmap = GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            trace.SetProperty("zmin", 0.0);
            trace.SetProperty("zmax", 1.0);
            return trace;
        }), heatmap);
        var traces = new List<GenericChart> { heatmap };
        if (points is not null)
        {
            if (points.Inputs.dim() != 2 || points.Inputs.shape[1] != 2)
                throw new ArgumentException($"points need 2-D inputs [N, 2]; got [{string.Join(", ", points.Inputs.shape)}].", nameof(points));
            var xy = points.Inputs.to(TorchSharp.torch.ScalarType.Float64).cpu().data<double>().ToArray();
            var labels = points.Targets.cpu().data<long>().ToArray();
            foreach (var c in labels.Distinct().Order())
            {
                var index = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
                traces.Add((GenericChart)FSharpInterop.Call(PlotlyTypes.Scatter, "Point", [typeof(double), typeof(double), typeof(string)],
                    ("x", index.Select(i => xy[2 * i]).ToArray()), ("y", index.Select(i => xy[2 * i + 1]).ToArray()), ("Name", $"class {c}"),
                    ("MarkerColor", Color.fromString(c == surface.ClassIndex ? "#67001f" : c == 0 ? "#053061" : "black")), ("Opacity", 0.7)));
            }
        }
        return ChartStyle.Titled(Chart.combine(traces), title, "x₁", "x₂", width: 560, height: 480);
    }
}
