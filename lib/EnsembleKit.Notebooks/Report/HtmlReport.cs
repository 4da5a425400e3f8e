using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Display;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Report;

/// <summary>
/// A standalone HTML page of an executed notebook: markdown rendered, code, text outputs, tables and
/// Plotly charts, with plotly.js included once in the page (and handed to the charts) so they draw offline.
/// </summary>
public static class HtmlReport
{
    public static string Render(Notebook notebook, string? title = null)
    {
        title ??= Path.GetFileNameWithoutExtension(notebook.Path ?? "notebook");
        var body = new StringBuilder();
        bool anyChart = false;
        foreach (var cell in notebook.Cells)
        {
            if (cell.IsMarkdown)
            {
                body.Append("<section class=\"markdown\">").Append(MarkdownHtml.ToHtml(cell.Source)).Append("</section>\n");
                continue;
            }
            if (!cell.IsCode) continue;
            var count = cell.Json["execution_count"]?.GetValue<int>();
            var seconds = cell.Metadata["ensemblekit"]?["wall_seconds"]?.GetValue<double>();
            body.Append("<section class=\"code-cell\">");
            body.Append($"<div class=\"prompt\">In [{(count?.ToString() ?? " ")}]{(seconds is { } s ? $" <span class=\"time\">{s:F1} s</span>" : "")}</div>");
            body.Append("<pre class=\"source\"><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre>");
            foreach (var output in cell.Outputs.OfType<JsonObject>())
            {
                var (html, chart) = RenderOutput(output);
                anyChart |= chart;
                body.Append("<div class=\"output\">").Append(html).Append("</div>");
            }
            body.Append("</section>\n");
        }
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        page.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>");
        page.Append("<style>").Append(Style).Append("</style>\n");
        if (anyChart) page.Append(PlotlyHtml.OfflineScripts()).Append('\n');
        page.Append("</head><body><main>\n").Append(body).Append("</main></body></html>\n");
        return page.ToString();
    }

    public static void Write(Notebook notebook, string path) => Backend.AtomicFile.WriteAllText(path, Render(notebook));

    static (string Html, bool Chart) RenderOutput(JsonObject output)
    {
        var type = output["output_type"]?.GetValue<string>();
        switch (type)
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() ?? "stdout";
                return ($"<pre class=\"{name}\">{WebUtility.HtmlEncode(MultilineText.Read(output["text"]))}</pre>", false);
            case "error":
                var trace = (output["traceback"] as JsonArray)?.Select(l => l?.GetValue<string>() ?? "") ?? [];
                return ($"<pre class=\"error\">{WebUtility.HtmlEncode($"{output["ename"]}: {output["evalue"]}\n{string.Join("\n", trace)}")}</pre>", false);
            case "display_data" or "execute_result":
                var data = output["data"] as JsonObject;
                if (data?["text/html"] is { } htmlNode)
                {
                    var html = MultilineText.Read(htmlNode);
                    return (html, PlotlyHtml.IsChart(html));
                }
                if (data?["text/plain"] is { } plain) return ($"<pre>{WebUtility.HtmlEncode(MultilineText.Read(plain))}</pre>", false);
                return ("", false);
            default:
                return ("", false);
        }
    }

    const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#fafafa;color:#222}
        main{max-width:980px;margin:0 auto;padding:24px}
        section{margin:12px 0}
        .markdown{line-height:1.5}
        .code-cell{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:8px 12px}
        .prompt{color:#888;font-size:12px;font-family:monospace}
        .time{margin-left:8px}
        pre{white-space:pre-wrap;word-break:break-word;font-size:13px;margin:6px 0}
        pre.source{background:#f4f6f8;padding:8px;border-radius:4px}
        pre.stderr{color:#8a5a00}
        pre.error{color:#b00020;background:#fff0f0;padding:8px}
        .ensemblekit-table{border-collapse:collapse;font-size:13px;margin:6px 0}
        .ensemblekit-table th,.ensemblekit-table td{border:1px solid #ddd;padding:3px 8px}
        .ensemblekit-table th{background:#f0f0f0}
        code{font-family:ui-monospace,Menlo,Consolas,monospace}
        """;
}
