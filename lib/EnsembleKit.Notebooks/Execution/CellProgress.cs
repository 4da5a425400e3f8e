using System.Diagnostics;
using System.Globalization;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Live progress of one cell on the runner's progress writer: "cell i/n" with elapsed seconds, redrawn in
/// place on a terminal, or a line every few seconds in a log; a final line with the cell's wall time.
/// </summary>
public sealed class CellProgress : IDisposable
{
    readonly TextWriter? _writer;
    readonly string _label;
    readonly bool _terminal;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Timer? _timer;
    readonly object _gate = new();
    bool _done;

    public CellProgress(RunOptions options, int cellNumber, int cellCount, string firstLine)
    {
        _writer = options.Progress;
        _terminal = options.ProgressIsTerminal;
        var line = firstLine.Length > 60 ? firstLine[..57] + "..." : firstLine;
        _label = $"cell {cellNumber}/{cellCount} {line}";
        if (_writer is null) return;
        var period = TimeSpan.FromSeconds(_terminal ? 1 : Math.Max(1, options.HeartbeatSeconds));
        _timer = new Timer(_ => Tick(), null, period, period);
        if (_terminal) Tick();
    }

    public double Seconds => _clock.Elapsed.TotalSeconds;

    void Tick()
    {
        lock (_gate)
        {
            if (_done) return;
            var elapsed = Seconds.ToString("F0", CultureInfo.InvariantCulture);
            Write(_terminal ? $"\r{_label}: {elapsed} s\u001b[K" : $"{_label}: still running, {elapsed} s\n");
        }
    }

    /// <summary>Stops the ticker and prints the outcome with the cell's wall time.</summary>
    public void Finish(bool ok)
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_done) return;
            _done = true;
            var seconds = Seconds.ToString("F1", CultureInfo.InvariantCulture);
            Write($"{(_terminal ? "\r" : "")}{_label}: {(ok ? "ok" : "FAILED")} in {seconds} s{(_terminal ? "\u001b[K" : "")}\n");
        }
    }

    void Write(string text)
    {
        if (_writer is null) return;
        try { _writer.Write(text); _writer.Flush(); }
        catch (ObjectDisposedException) { }
    }

    public void Dispose() => Finish(ok: false);
}
