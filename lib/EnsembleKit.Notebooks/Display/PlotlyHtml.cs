using Plotly.NET;

namespace EnsembleKit.Notebooks.Display;

/// <summary>
/// What a standalone HTML page needs to draw the charts of an executed notebook offline. The kernel's chart outputs
/// (Plotly.NET.Interactive's formatter) load plotly.js through require.js from a CDN, which keeps each notebook small
/// but needs the internet; a report instead carries plotly.js once (the copy Plotly.NET embeds) and a tiny stand-in
/// for require.js that hands the charts that copy.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>The id of the script tag holding plotly.js.</summary>
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

    /// <summary>True when an HTML output is a Plotly chart (Plotly.NET.Interactive's or Plotly.NET's own HTML).</summary>
    public static bool IsChart(string html) =>
        html.Contains("renderPlotly_", StringComparison.Ordinal) || html.Contains("Plotly.newPlot", StringComparison.Ordinal);

    /// <summary>
    /// plotly.js inline, then a require.js stand-in: <c>requirejs.config(...)</c> returns a loader that calls back with
    /// the inline plotly.js, so chart outputs written for require.js draw with no network.
    /// </summary>
    public static string OfflineScripts() =>
        $"<script type=\"text/javascript\" id=\"{ScriptId}\">\n{PlotlyJsSource.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)}\n</script>\n" +
        "<script type=\"text/javascript\">(function(){function load(deps, done){done(window.Plotly);}" +
        "var shim=function(deps, done){return load(deps, done);};shim.config=function(){return load;};" +
        "window.requirejs=shim;window.require=shim;})();</script>";
}
