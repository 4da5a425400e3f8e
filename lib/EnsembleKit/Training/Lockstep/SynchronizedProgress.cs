namespace EnsembleKit.Training.Lockstep;

/// <summary>Passes updates from several threads to one sink, one at a time (sinks such as the console bar are not thread-safe).</summary>
sealed class SynchronizedProgress(IProgressSink inner) : IProgressSink
{
    readonly object gate = new();

    public void Report(ProgressUpdate update)
    {
        lock (gate) inner.Report(update);
    }
}
