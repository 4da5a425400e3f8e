using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Scatter of a 2-D embedding (e.g. <c>EnsembleKit.Analysis.Tsne.Fit</c>'s <c>[N, 2]</c> output), one coloured trace
    /// per group (e.g. training run), groups in order of first appearance. With <paramref name="steps"/> (e.g. the
    /// epoch of each checkpoint) each group's points are sorted by step, joined by a line when
    /// <paramref name="connect"/> (a trajectory), and labelled with the step when <paramref name="labelSteps"/>;
    /// hovering shows "group, stepName step".
    /// </summary>
    /// <param name="embedding"><c>[N, 2]</c> coordinates.</param>
    /// <param name="groups">N group labels.</param>
    /// <param name="steps">N step numbers, or null (points keep their input order, no step labels).</param>
    /// <param name="connect">Join each group's points with a line (markers only when false).</param>
    /// <param name="labelSteps">Write each point's step next to its marker.</param>
    /// <param name="stepName">What a step is called in the hover text.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="include">N flags: only the points flagged true are drawn (e.g. the mispredictions), at their place in
    /// the whole embedding; null draws all.</param>
    public static GenericChart EmbeddingScatter(double[,] embedding, IReadOnlyList<string> groups, IReadOnlyList<int>? steps = null,
        bool connect = true, bool labelSteps = true, string stepName = "epoch", string title = "t-SNE embedding", IReadOnlyList<bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(groups);
        int n = embedding.GetLength(0);
        if (embedding.GetLength(1) != 2 || n == 0)
            throw new ArgumentException($"expected a non-empty [N, 2] embedding; got [{n}, {embedding.GetLength(1)}].", nameof(embedding));
        if (groups.Count != n) throw new ArgumentException($"expected {n} group labels (one per embedded point); got {groups.Count}.", nameof(groups));
        if (steps is not null && steps.Count != n) throw new ArgumentException($"expected {n} steps (one per embedded point); got {steps.Count}.", nameof(steps));
        if (include is not null && include.Count != n) throw new ArgumentException($"expected {n} include flags (one per embedded point); got {include.Count}.", nameof(include));

        var traces = new List<GenericChart>();
        var drawn = Enumerable.Range(0, n).Where(i => include is null || include[i]).ToList();
        foreach (var group in drawn.Select(i => groups[i]).Distinct())
        {
            var members = drawn.Where(i => groups[i] == group);
            if (steps is not null) members = members.OrderBy(i => steps[i]);
            var index = members.ToArray();
            var x = index.Select(i => embedding[i, 0]).ToArray();
            var y = index.Select(i => embedding[i, 1]).ToArray();
            var hover = index.Select(i => steps is null ? group : $"{group}, {stepName} {steps[i]}").ToArray();
            var arguments = new List<(string, object?)> { ("x", x), ("y", y), ("Name", group) };
            if (steps is not null && labelSteps)
            {
                arguments.Add(("MultiText", index.Select(i => steps[i].ToString()).ToArray()));
                arguments.Add(("TextPosition", StyleParam.TextPosition.TopCenter));
            }
            var trace = (GenericChart)(connect
                ? FSharpInterop.Call(PlotlyTypes.Scatter, "Line", [typeof(double), typeof(double), typeof(string)], [.. arguments, ("ShowMarkers", true)])
                : FSharpInterop.Call(PlotlyTypes.Scatter, "Point", [typeof(double), typeof(double), typeof(string)], [.. arguments]));
            // Hover names the point even when the visible text is just the step.
            trace = GenericChart.mapTrace(Microsoft.FSharp.Core.FuncConvert.FromFunc<Trace, Trace>(t =>
            {
                t.SetProperty("hovertext", hover);
                t.SetProperty("hoverinfo", "text");
                return t;
            }), trace);
            traces.Add(trace);
        }
        return ChartStyle.Titled(Chart.combine(traces), title, "t-SNE dimension 1", "t-SNE dimension 2");
    }
}
