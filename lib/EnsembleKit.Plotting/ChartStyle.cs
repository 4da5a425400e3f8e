using Plotly.NET;

namespace EnsembleKit.Plotting;

/// <summary>Titles, axis labels, legend and size applied the same way to every kit chart.</summary>
public static class ChartStyle
{
    /// <summary>Sets the chart title, both axis titles (and optional fixed ranges) and a readable default size.</summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle,
        (double Min, double Max)? xRange = null, (double Min, double Max)? yRange = null, int width = 760, int height = 460)
    {
        chart = Apply(chart, "withTitle", [], ("title", title));
        chart = Apply(chart, "withXAxisStyle", [typeof(double), typeof(double), typeof(string)],
            Axis(xTitle, xRange));
        chart = Apply(chart, "withYAxisStyle", [typeof(double), typeof(double), typeof(string)],
            Axis(yTitle, yRange));
        return Apply(chart, "withSize", [], ("Width", width), ("Height", height));
    }

    static (string, object?)[] Axis(string title, (double Min, double Max)? range) =>
        range is { } r ? [("TitleText", title), ("MinMax", Tuple.Create(r.Min, r.Max))] : [("TitleText", title)];

    /// <summary>Applies one of Plotly.NET's curried <c>Chart.withX(...)</c> styling functions to <paramref name="chart"/>.</summary>
    public static GenericChart Apply(GenericChart chart, string function, Type[] typeArguments, params (string Name, object? Value)[] arguments)
    {
        var styling = (Microsoft.FSharp.Core.FSharpFunc<GenericChart, GenericChart>)FSharpInterop.Call(typeof(Chart), function, typeArguments, arguments);
        return styling.Invoke(chart);
    }
}
