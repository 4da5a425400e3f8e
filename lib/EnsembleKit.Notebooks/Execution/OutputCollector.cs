using System.Text;
using System.Text.Json.Nodes;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Collects one cell's outputs in the order they happen: consecutive writes to the same stream merge
/// into one stream output (as Jupyter shows them); display() calls interleave as display_data.
/// Carriage returns are applied as a terminal would, so progress bars keep only their last state.
/// </summary>
public sealed class OutputCollector
{
    readonly object _gate = new();
    readonly List<(string? Stream, StringBuilder? Text, JsonObject? Rich)> _items = [];

    /// <summary>Called with every piece of stream text as it arrives (for live echo), or null.</summary>
    public Action<string, string>? OnStreamText { get; init; }

    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (_items.Count > 0 && _items[^1].Stream == stream) _items[^1].Text!.Append(text);
            else _items.Add((stream, new StringBuilder(text), null));
        }
        OnStreamText?.Invoke(stream, text);
    }

    public void Add(JsonObject output)
    {
        lock (_gate) _items.Add((null, null, output));
    }

    public JsonArray ToOutputs()
    {
        lock (_gate)
        {
            var outputs = new JsonArray();
            foreach (var (stream, text, rich) in _items)
            {
                if (rich is not null) outputs.Add(rich);
                else if (ApplyCarriageReturns(text!.ToString()) is { Length: > 0 } clean) outputs.Add(Outputs.Stream(stream!, clean));
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

    /// <summary>A <see cref="TextWriter"/> that feeds one stream ("stdout" or "stderr") of this collector.</summary>
    public TextWriter Writer(string stream) => new StreamWriterProxy(this, stream);

    sealed class StreamWriterProxy(OutputCollector collector, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => collector.Write(stream, value.ToString());
        public override void Write(string? value) => collector.Write(stream, value ?? "");
        public override void Write(char[] buffer, int index, int count) => collector.Write(stream, new string(buffer, index, count));
        public override void WriteLine(string? value) => collector.Write(stream, (value ?? "") + "\n");
        public override void WriteLine() => collector.Write(stream, "\n");
    }
}
