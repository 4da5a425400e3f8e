using System.Collections;
using Microsoft.Data.Analysis;
using Plotly.NET;
using TorchSharp;

namespace EnsembleKit.Notebooks.Display;

/// <summary>
/// Turns a value into a mime bundle (mime type to text) the way the Polyglot C# kernel shows it:
/// text for scalars and strings, HTML tables for DataFrames, records and collections, HTML with plotly.js
/// for Plotly.NET charts. One formatter per run: it embeds plotly.js in the first chart only.
/// </summary>
public sealed class DisplayFormatter
{
    int _charts;

    /// <summary>Tensors with more elements than this are shown by shape only.</summary>
    public const int MaxTensorValues = 1000;

    /// <summary>How many charts this formatter has rendered.</summary>
    public int ChartCount => _charts;

    public IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyCollection<string>? mimeTypes = null)
    {
        var bundle = FormatAll(value);
        if (mimeTypes is { Count: > 0 })
        {
            var chosen = bundle.Where(kv => mimeTypes.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (chosen.Count > 0) return chosen;
        }
        return bundle;
    }

    Dictionary<string, string> FormatAll(object? value)
    {
        switch (value)
        {
            case null:
                return Plain("<null>");
            case string s:
                return Plain(s);
            case GenericChart chart:
                _charts++;
                return new() { ["text/html"] = PlotlyHtml.Chart(chart, includePlotlyJs: _charts == 1, _charts), ["text/plain"] = PlotlyHtml.Describe(chart) };
            case DataFrame frame:
                return new() { ["text/html"] = HtmlTables.FromDataFrame(frame), ["text/plain"] = HtmlTables.PlainText(frame) };
            case torch.Tensor tensor:
                // Small tensors show their values; large ones their shape, so a stray [60000, 784] does not flood the notebook.
                return Plain(tensor.numel() <= MaxTensorValues
                    ? tensor.ToString(TorchSharp.TensorStringStyle.Numpy)
                    : $"tensor [{string.Join(", ", tensor.shape)}], {tensor.dtype}, {tensor.device} ({tensor.numel():N0} values; index or slice it to see values)");
            case IFormattable or bool or char when HtmlTables.IsScalar(value.GetType()):
                return Plain(HtmlTables.CellText(value));
            case IEnumerable items:
                var list = items.Cast<object?>().ToList();
                return new() { ["text/html"] = HtmlTables.FromEnumerable(list), ["text/plain"] = PlainList(list) };
            default:
                var type = value.GetType();
                if (HtmlTables.IsScalar(type) || HtmlTables.PublicProperties(type).Count == 0) return Plain(value.ToString() ?? "");
                return new() { ["text/html"] = HtmlTables.FromObject(value), ["text/plain"] = value.ToString() ?? type.Name };
        }
    }

    static Dictionary<string, string> Plain(string text) => new() { ["text/plain"] = text };

    static string PlainList(List<object?> list)
    {
        var type = list.FirstOrDefault(i => i is not null)?.GetType();
        if (type is null || HtmlTables.IsScalar(type))
            return "[" + string.Join(", ", list.Take(HtmlTables.MaxRows).Select(HtmlTables.CellText)) + (list.Count > HtmlTables.MaxRows ? ", ..." : "") + "]";
        var properties = HtmlTables.PublicProperties(type);
        return HtmlTables.PlainText(properties.Select(p => p.Name).ToList(),
            list.Take(HtmlTables.MaxRows).Select(i => (IReadOnlyList<object?>)properties.Select(p => i is null ? null : p.GetValue(i)).ToList()));
    }
}
