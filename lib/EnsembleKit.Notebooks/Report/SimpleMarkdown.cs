using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EnsembleKit.Notebooks.Report;

/// <summary>
/// A small Markdown-to-HTML renderer for notebook text cells: headings, paragraphs, bullet and numbered
/// lists, fenced code, pipe tables, block quotes, and inline code, bold, italics, links and $math$ (kept as text).
/// </summary>
public static class SimpleMarkdown
{
    public static string ToHtml(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var html = new StringBuilder();
        var paragraph = new List<string>();
        string? list = null;

        void FlushParagraph()
        {
            if (paragraph.Count > 0) html.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
            paragraph.Clear();
        }
        void CloseList()
        {
            if (list is not null) html.Append($"</{list}>\n");
            list = null;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                FlushParagraph(); CloseList();
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(string.Join("\n", code))).Append("</code></pre>\n");
                continue;
            }
            if (trimmed.Length == 0) { FlushParagraph(); CloseList(); continue; }
            var heading = Regex.Match(trimmed, @"^(#{1,6})\s+(.*)$");
            if (heading.Success)
            {
                FlushParagraph(); CloseList();
                int level = heading.Groups[1].Value.Length;
                html.Append($"<h{level}>").Append(Inline(heading.Groups[2].Value)).Append($"</h{level}>\n");
                continue;
            }
            if (trimmed.StartsWith('|') && i + 1 < lines.Length && Regex.IsMatch(lines[i + 1].Trim(), @"^\|?\s*:?-{2,}"))
            {
                FlushParagraph(); CloseList();
                html.Append("<table class=\"ensemblekit-table\"><thead><tr>");
                foreach (var h in Cells(trimmed)) html.Append("<th>").Append(Inline(h)).Append("</th>");
                html.Append("</tr></thead><tbody>\n");
                for (i += 2; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
                {
                    html.Append("<tr>");
                    foreach (var c in Cells(lines[i].Trim())) html.Append("<td>").Append(Inline(c)).Append("</td>");
                    html.Append("</tr>\n");
                }
                i--;
                html.Append("</tbody></table>\n");
                continue;
            }
            var bullet = Regex.Match(line, @"^\s*([-*+]|\d+\.)\s+(.*)$");
            if (bullet.Success)
            {
                FlushParagraph();
                var kind = char.IsDigit(bullet.Groups[1].Value[0]) ? "ol" : "ul";
                if (list != kind) { CloseList(); html.Append($"<{kind}>\n"); list = kind; }
                html.Append("<li>").Append(Inline(bullet.Groups[2].Value)).Append("</li>\n");
                continue;
            }
            if (trimmed.StartsWith('>'))
            {
                FlushParagraph(); CloseList();
                html.Append("<blockquote>").Append(Inline(trimmed.TrimStart('>').Trim())).Append("</blockquote>\n");
                continue;
            }
            if (list is not null && char.IsWhiteSpace(line[0]))
            {
                // A continuation line of the last list item.
                html.Length -= "</li>\n".Length;
                html.Append(' ').Append(Inline(trimmed)).Append("</li>\n");
                continue;
            }
            CloseList();
            paragraph.Add(trimmed);
        }
        FlushParagraph(); CloseList();
        return html.ToString();
    }

    static IEnumerable<string> Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim());

    /// <summary>Inline markup on HTML-escaped text.</summary>
    public static string Inline(string text)
    {
        var codes = new List<string>();
        // Protect code spans first so their content is not formatted.
        text = Regex.Replace(text, "`([^`]+)`", m => { codes.Add(m.Groups[1].Value); return $"\u0001{codes.Count - 1}\u0001"; });
        text = WebUtility.HtmlEncode(text);
        text = Regex.Replace(text, @"\[([^\]]+)\]\(([^)\s]+)\)", "<a href=\"$2\">$1</a>");
        text = Regex.Replace(text, @"\*\*([^*]+)\*\*", "<strong>$1</strong>");
        text = Regex.Replace(text, @"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", "<em>$1</em>");
        text = Regex.Replace(text, @"(?<!\w)_([^_\s][^_]*)_(?!\w)", "<em>$1</em>");
        return Regex.Replace(text, "\u0001(\\d+)\u0001", m => "<code>" + WebUtility.HtmlEncode(codes[int.Parse(m.Groups[1].Value)]) + "</code>");
    }
}
