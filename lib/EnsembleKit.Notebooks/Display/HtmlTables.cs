using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Notebooks.Display;

/// <summary>HTML tables for DataFrames, records and collections, styled like the Polyglot kernel's.</summary>
public static class HtmlTables
{
    /// <summary>Most rows a table shows; the rest are counted in a footer.</summary>
    public const int MaxRows = 100;

    /// <summary>A DataFrame as an HTML table (column names as headers, at most <see cref="MaxRows"/> rows).</summary>
    public static string FromDataFrame(DataFrame frame)
    {
        var headers = frame.Columns.Select(c => c.Name).ToList();
        var rows = new List<IReadOnlyList<object?>>();
        for (long r = 0; r < Math.Min(frame.Rows.Count, MaxRows); r++)
            rows.Add(frame.Columns.Select(c => c[r]).ToList());
        return Table(headers, rows, frame.Rows.Count);
    }

    /// <summary>A DataFrame as aligned plain text (the <c>text/plain</c> part of its output).</summary>
    public static string PlainText(DataFrame frame)
    {
        var rows = new List<IReadOnlyList<object?>>();
        for (long r = 0; r < Math.Min(frame.Rows.Count, MaxRows); r++) rows.Add(frame.Columns.Select(c => c[r]).ToList());
        return PlainText(frame.Columns.Select(c => c.Name).ToList(), rows);
    }

    /// <summary>
    /// A collection as a table: one row per item; items with public properties (records, classes) get one column
    /// per property, simple values one "value" column. Null when the items are not tabular.
    /// </summary>
    public static string FromEnumerable(IEnumerable items)
    {
        var list = new List<object?>();
        long total = 0;
        foreach (var item in items)
        {
            if (list.Count < MaxRows) list.Add(item);
            total++;
        }
        var elementType = list.FirstOrDefault(i => i is not null)?.GetType();
        if (elementType is null || IsScalar(elementType))
            return Table(["index", "value"], list.Select((v, i) => (IReadOnlyList<object?>)[i, v]).ToList(), total);
        var properties = PublicProperties(elementType);
        return Table(properties.Select(p => p.Name).ToList(),
            list.Select(item => (IReadOnlyList<object?>)properties.Select(p => item is null ? null : SafeGet(p, item)).ToList()).ToList(), total);
    }

    /// <summary>One object's public properties as a one-row table.</summary>
    public static string FromObject(object value)
    {
        var properties = PublicProperties(value.GetType());
        return Table(properties.Select(p => p.Name).ToList(), [properties.Select(p => SafeGet(p, value)).ToList()], 1);
    }

    public static IReadOnlyList<PropertyInfo> PublicProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();

    public static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);

    static object? SafeGet(PropertyInfo p, object target)
    {
        try { return p.GetValue(target); }
        catch (TargetInvocationException e) { return $"({e.InnerException?.GetType().Name})"; }
    }

    /// <summary>A value as a table cell's text: numbers in invariant culture, doubles to 6 significant digits.</summary>
    public static string CellText(object? value) => value switch
    {
        null => "<null>",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Take(10).Select(CellText)) + (e.Cast<object?>().Skip(10).Any() ? ", ..." : "") + "]",
        _ => value.ToString() ?? "",
    };

    static string Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<object?>> rows, long total)
    {
        var sb = new StringBuilder("<table class=\"ensemblekit-table\"><thead><tr>");
        foreach (var h in headers) sb.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
            {
                bool numeric = cell is double or float or int or long or decimal or short or byte;
                sb.Append(numeric ? "<td style=\"text-align:right\">" : "<td>").Append(WebUtility.HtmlEncode(CellText(cell))).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        if (total > rows.Count) sb.Append($"<p><i>{total - rows.Count} more rows not shown ({total} in all).</i></p>");
        return sb.ToString();
    }

    /// <summary>Plain-text rendering of a table, for the <c>text/plain</c> part of the same output.</summary>
    public static string PlainText(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var cells = rows.Select(r => r.Select(CellText).ToList()).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells) sb.AppendLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        return sb.ToString().TrimEnd('\n');
    }
}
