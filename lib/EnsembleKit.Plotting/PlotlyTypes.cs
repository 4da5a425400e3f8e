using Plotly.NET;

namespace EnsembleKit.Plotting;

/// <summary>Plotly.NET's F# modules that hold the 2D chart constructors (not nameable from C#).</summary>
internal static class PlotlyTypes
{
    static Type Module(string name) => typeof(GenericChart).Assembly.GetType(name, throwOnError: true)!;

    public static readonly Type Scatter = Module("Plotly.NET.Chart2D_Scatter+Chart");
    public static readonly Type Bar = Module("Plotly.NET.Chart2D_Bar+Chart");
    public static readonly Type Heatmap = Module("Plotly.NET.Chart2D_Heatmap+Chart");
}
