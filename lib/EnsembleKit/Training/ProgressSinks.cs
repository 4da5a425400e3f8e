namespace EnsembleKit.Training;

/// <summary>Progress of a long piece of work: what, how far, and a short status.</summary>
public readonly record struct ProgressUpdate(string Label, int Done, int Total, string Status, bool Finished);

/// <summary>Receives progress updates.</summary>
public interface IProgressSink
{
    void Report(ProgressUpdate update);
}

public static class ProgressSinks
{
    /// <summary>Discards updates.</summary>
    public static readonly IProgressSink None = new NullSink();

    /// <summary>
    /// A bar on standard error: redrawn in place on a terminal, one line per finished step when
    /// standard error is redirected (a log, a notebook cell).
    /// </summary>
    public static readonly IProgressSink Console = new ConsoleSink();

    sealed class NullSink : IProgressSink
    {
        public void Report(ProgressUpdate update) { }
    }

    sealed class ConsoleSink : IProgressSink
    {
        public void Report(ProgressUpdate u)
        {
            var text = $"{u.Label} {Bar(u.Done, u.Total)} {u.Done}/{u.Total} {u.Status}";
            if (System.Console.IsErrorRedirected)
            {
                System.Console.Error.WriteLine(text);
            }
            else
            {
                int width = SafeWidth() - 1;
                System.Console.Error.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
                if (u.Finished) System.Console.Error.WriteLine();
            }
        }

        static int SafeWidth()
        {
            try { return System.Console.WindowWidth > 20 ? System.Console.WindowWidth : 100; }
            catch (IOException) { return 100; }
        }

        static string Bar(int done, int total)
        {
            const int width = 20;
            int filled = total <= 0 ? 0 : Math.Clamp(done * width / total, 0, width);
            return "[" + new string('#', filled) + new string('.', width - filled) + "]";
        }
    }
}
