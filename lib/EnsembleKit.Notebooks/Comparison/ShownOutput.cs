using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EnsembleKit.Notebooks.Display;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Comparison;

/// <summary>
/// What a code cell shows its reader, as lines on which two runs of one notebook can be compared: printed text
/// (stdout and stderr), HTML tables one row a line (cells joined by " | "), a Plotly chart's data and layout, plain-text
/// results, other media by their SHA-256, and errors. What differs between two runs of the same computation is masked:
/// durations ("12.3 s", "45 ms", "2 min" become <c>&lt;time&gt;</c>) and the ids the kernel gives tables, their pages and charts.
/// </summary>
public static partial class ShownOutput
{
    /// <summary>The lines <paramref name="cell"/>'s outputs show, in order; none for a cell without outputs.</summary>
    public static IReadOnlyList<string> Lines(NotebookCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var lines = new List<string>();
        foreach (var output in cell.Outputs.OfType<JsonObject>())
        {
            switch (output["output_type"]?.GetValue<string>())
            {
                case "stream":
                    AddText(lines, MultilineText.Read(output["text"]));
                    break;
                case "display_data" or "execute_result" when output["data"] is JsonObject data:
                    AddData(lines, data);
                    break;
                case "error":
                    AddText(lines, $"error {output["ename"]?.GetValue<string>()}: {output["evalue"]?.GetValue<string>()}");
                    break;
            }
        }
        return lines;
    }

    static void AddData(List<string> lines, JsonObject data)
    {
        if (data["text/html"] is { } htmlNode)
        {
            string html = MultilineText.Read(htmlNode);
            if (PlotlyHtml.IsChart(html)) AddChart(lines, html);
            else AddText(lines, TableText(html));
        }
        else if (data["text/plain"] is { } plain) AddText(lines, MultilineText.Read(plain));
        else
        {
            // Images and other media: equal bytes, equal line.
            foreach (var (mime, node) in data)
            {
                var bytes = Encoding.UTF8.GetBytes(node is null ? "" : MultilineText.Read(node));
                lines.Add($"{mime} sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}");
            }
        }
    }

    /// <summary>A chart's numbers and labels live in its <c>var data = ...;</c> and <c>var layout = ...;</c> lines.</summary>
    static void AddChart(List<string> lines, string html)
    {
        var parts = html.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("var data = ", StringComparison.Ordinal) || l.StartsWith("var layout = ", StringComparison.Ordinal)).ToList();
        if (parts.Count == 0) lines.Add("chart (no data found)");
        foreach (var part in parts) lines.Add("chart " + Mask(part));
    }

    /// <summary>An HTML output as text: styles and scripts dropped, one table row a line, tags removed.</summary>
    static string TableText(string html)
    {
        string text = StyleOrScript().Replace(html, "");
        text = RowEnd().Replace(text, "\n");
        text = CellEnd().Replace(text, "\u001f");
        text = WebUtility.HtmlDecode(Tag().Replace(text, ""));
        return string.Join('\n', text.Split('\n').Select(row => string.Join(" | ", row.Split('\u001f').Select(c => c.Trim())).TrimEnd(' ', '|')));
    }

    static void AddText(List<string> lines, string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0) lines.Add(Mask(trimmed));
        }
    }

    static string Mask(string line)
    {
        line = Guid().Replace(line, "<id>");
        line = ElementId().Replace(line, "${name}_<id>");
        return MaskDurations(line);
    }

    /// <summary><paramref name="text"/> with every duration ("48.9s", "12 ms", "2 min") replaced by <c>&lt;time&gt;</c>.</summary>
    public static string MaskDurations(string text) => Duration().Replace(text, "<time>");

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|s|min)\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid();

    /// <summary>The kernel names a table's elements by the clock's ticks: table_639321227451736452, page_639321237473323812.</summary>
    [GeneratedRegex(@"\b(?<name>[A-Za-z]+)_\d{12,}")]
    private static partial Regex ElementId();

    [GeneratedRegex(@"<(style|script)\b.*?</\1\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex StyleOrScript();

    [GeneratedRegex(@"</tr\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex RowEnd();

    [GeneratedRegex(@"</t[dh]\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex CellEnd();

    /// <summary>A tag, its quoted attributes whole (a pager's onclick="... page > 0 ..." holds a '>').</summary>
    [GeneratedRegex(@"<(?:[^>""']|""[^""]*""|'[^']*')*>")]
    private static partial Regex Tag();
}
