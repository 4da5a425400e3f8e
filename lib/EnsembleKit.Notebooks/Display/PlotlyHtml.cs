using System.Security.Cryptography;
using System.Text;
using Plotly.NET;

namespace EnsembleKit.Notebooks.Display;

/// <summary>
/// Plotly.NET charts as self-contained HTML: plotly.js comes from the copy Plotly.NET ships as an embedded
/// resource (no CDN, works offline), and each chart draws itself once plotly.js is present.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>The id of the script tag holding plotly.js, so a report can include it once.</summary>
    public const string ScriptId = "ensemblekit-plotlyjs";

    static readonly Lazy<string> s_source = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The plotly.js source Plotly.NET embeds (plotly.min.js, about 3.5 MB).</summary>
    public static string PlotlyJsSource => s_source.Value;

    /// <summary>A script tag with the full plotly.js, guarded so loading it twice in one page is harmless.</summary>
    public static string PlotlyJsScriptTag() =>
        $"<script type=\"text/javascript\" id=\"{ScriptId}\">if (typeof window.Plotly === 'undefined') {{\n{PlotlyJsSource.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)}\n}}</script>";

    /// <summary>
    /// A div and a script that draws <paramref name="chart"/> when plotly.js is available (now or later on the
    /// page); with <paramref name="includePlotlyJs"/> the output carries plotly.js itself. The div id is derived
    /// from the chart's JSON and <paramref name="ordinal"/>, so the same run gives the same HTML.
    /// </summary>
    public static string Chart(GenericChart chart, bool includePlotlyJs, int ordinal)
    {
        var json = GenericChart.toJson(chart);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12].ToLowerInvariant();
        var id = $"ek-chart-{hash}-{ordinal}";
        var (width, height) = Size(chart);
        var sb = new StringBuilder();
        if (includePlotlyJs) sb.Append(PlotlyJsScriptTag()).Append('\n');
        // The placeholder text shows where scripts do not run (e.g. GitHub's notebook view); drawing replaces it.
        var title = System.Net.WebUtility.HtmlEncode(Title(json));
        sb.Append($"<div id=\"{id}\" class=\"ensemblekit-chart\" style=\"width:{width}px;max-width:100%;height:{height}px;\"><p style=\"color:#777;font-style:italic\">Chart \u201c{title}\u201d: it draws where JavaScript runs (VS Code, Jupyter, or the <code>kit run --html</code> report).</p></div>\n");
        sb.Append("<script type=\"text/javascript\">(function draw(){var figure=")
          .Append(json.Replace("</", "<\\/"))
          .Append($";var el=document.getElementById('{id}');if(window.Plotly&&el){{el.innerHTML='';window.Plotly.newPlot(el,figure.data,figure.layout,Object.assign({{responsive:true}},figure.config));}}else{{setTimeout(draw,50);}}}})();</script>");
        return sb.ToString();
    }

    static (int Width, int Height) Size(GenericChart chart)
    {
        var size = GenericChart.tryGetLayoutSize(chart);
        return (size.Item1 is null ? 760 : size.Item1.Value, size.Item2 is null ? 460 : size.Item2.Value);
    }

    static string Title(string figureJson) =>
        System.Text.Json.Nodes.JsonNode.Parse(figureJson)?["layout"]?["title"]?["text"]?.GetValue<string>() ?? "untitled";

    /// <summary>A one-line text description for the <c>text/plain</c> part of a chart output.</summary>
    public static string Describe(GenericChart chart)
    {
        var figure = GenericChart.toJson(chart);
        var json = System.Text.Json.Nodes.JsonNode.Parse(figure);
        var title = Title(figure);
        var traces = (json?["data"] as System.Text.Json.Nodes.JsonArray)?.Count ?? 0;
        return $"Plotly chart \"{title}\" ({traces} trace{(traces == 1 ? "" : "s")}); open the notebook in a viewer that runs HTML outputs, or the kit run --html report.";
    }
}
