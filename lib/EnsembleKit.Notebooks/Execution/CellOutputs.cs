using System.Text;
using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Format;
using Microsoft.DotNet.Interactive.Events;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// One cell's outputs, built from the kernel's events in the order they happen: consecutive writes to the same
/// stream merge into one stream output (as Jupyter shows them); displayed values interleave as display_data, and an
/// update of a displayed value replaces it; the cell's value is the execute_result. Carriage returns are applied as a
/// terminal would, so progress bars keep only their last state.
/// </summary>
public sealed class CellOutputs(int executionCount)
{
    readonly object _gate = new();
    readonly List<Item> _items = [];

    sealed class Item
    {
        public string? Stream;
        public StringBuilder? Text;
        public JsonObject? Rich;
        public string? DisplayId;
    }

    /// <summary>Called with every piece of stream text as it arrives (for live echo), or null.</summary>
    public Action<string, string>? OnStreamText { get; init; }

    /// <summary>Appends text to the "stdout" or "stderr" stream.</summary>
    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_items.Count > 0 && _items[^1].Stream == stream) _items[^1].Text!.Append(text);
            else _items.Add(new Item { Stream = stream, Text = new StringBuilder(text) });
        }
        OnStreamText?.Invoke(stream, text);
    }

    /// <summary>Appends a rich output (display_data, execute_result, error).</summary>
    public void Add(JsonObject output, string? displayId = null)
    {
        lock (_gate) _items.Add(new Item { Rich = output, DisplayId = displayId });
    }

    /// <summary>Records what a kernel event shows in the cell; events that show nothing are ignored.</summary>
    public void Take(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced o:
                Write("stdout", PlainText(o));
                break;
            case StandardErrorValueProduced o:
                Write("stderr", PlainText(o));
                break;
            case ErrorProduced o:
                Write("stderr", o.Message.EndsWith('\n') ? o.Message : o.Message + "\n");
                break;
            case ReturnValueProduced o when Bundle(o) is { Count: > 0 } bundle:
                Add(Outputs.ExecuteResult(bundle, executionCount));
                break;
            case DisplayedValueUpdated o when Bundle(o) is { Count: > 0 } bundle:
                Replace(o.ValueId, Outputs.DisplayData(bundle));
                break;
            case DisplayedValueProduced o when Bundle(o) is { Count: > 0 } bundle:
                Add(Outputs.DisplayData(bundle), o.ValueId);
                break;
        }
    }

    void Replace(string? displayId, JsonObject output)
    {
        lock (_gate)
        {
            var existing = displayId is null ? null : _items.LastOrDefault(i => i.DisplayId == displayId);
            if (existing is null) _items.Add(new Item { Rich = output, DisplayId = displayId });
            else existing.Rich = output;
        }
    }

    static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? e.Value?.ToString() ?? "";

    static Dictionary<string, string> Bundle(DisplayEvent e) =>
        e.FormattedValues.Where(v => !v.SuppressDisplay).GroupBy(v => v.MimeType).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>The outputs as an nbformat 4 array.</summary>
    public JsonArray ToOutputs()
    {
        lock (_gate)
        {
            var outputs = new JsonArray();
            foreach (var item in _items)
            {
                if (item.Rich is not null) outputs.Add(item.Rich.DeepClone());
                else if (ApplyCarriageReturns(item.Text!.ToString()) is { Length: > 0 } clean) outputs.Add(Outputs.Stream(item.Stream!, clean));
            }
            return outputs;
        }
    }

    /// <summary>Keeps, for each line, the text after its last carriage return ("\r\n" is a plain newline).</summary>
    public static string ApplyCarriageReturns(string text)
    {
        if (!text.Contains('\r')) return text;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int last = line.LastIndexOf('\r');
            if (last < 0) continue;
            // A trailing \r (bar redrawn, nothing after it yet) keeps the text before it.
            var after = line[(last + 1)..];
            if (after.Length > 0) lines[i] = after.TrimEnd();
            else
            {
                var before = line[..last];
                int previous = before.LastIndexOf('\r');
                lines[i] = (previous < 0 ? before : before[(previous + 1)..]).TrimEnd();
            }
        }
        return string.Join("\n", lines);
    }
}
