namespace EnsembleKit.Training;

/// <summary>A checkpoint the trainer refuses to resume from; the message names the file, says why, and how to start afresh.</summary>
public abstract class CheckpointException(string path, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;

    /// <summary>The closing advice of every message: what to delete or change to train afresh.</summary>
    internal static string StartAfresh(string path) =>
        $"To train afresh, delete {path} (or its folder), or give this run another checkpoint path "
        + "(TrainingOptions.CheckpointPath; kit reproduce: another --checkpoint folder; notebooks: another KIT_RUNS folder).";
}

/// <summary>The checkpoint was written by a run with other settings (<see cref="RunFingerprint"/>); resuming would mix two runs.</summary>
public sealed class CheckpointMismatchException(string path, IReadOnlyList<string> differences)
    : CheckpointException(path, $"{path} was written by a run with other settings, so this run does not resume from it:"
        + string.Concat(differences.Select(d => $"{Environment.NewLine}  {d}")) + Environment.NewLine + StartAfresh(path))
{
    /// <summary>One line a setting that differs: <c>epochs: checkpoint 4, this run 8</c>.</summary>
    public IReadOnlyList<string> Differences { get; } = differences;
}

/// <summary>The checkpoint cannot be trusted: truncated, changed after it was written, not a checkpoint, or from an older format.</summary>
public sealed class CheckpointDamagedException(string path, string reason, Exception? inner = null)
    : CheckpointException(path, $"{path}: {reason} {StartAfresh(path)}", inner)
{
    /// <summary>
    /// A run resumed after <paramref name="epochsDone"/> epochs cannot get back what a callback gathered in them
    /// (<paramref name="what"/>, e.g. "the snapshot of epoch 2 was not saved"); named after the checkpoint, whose deletion
    /// starts the run afresh.
    /// </summary>
    internal static CheckpointDamagedException GatheredStateLost(string? checkpoint, int epochsDone, string what) =>
        new(checkpoint ?? "the run's checkpoint", $"the run resumes after epoch {epochsDone}, but {what}");

    /// <summary>What is wrong with the file, without the advice.</summary>
    public string Reason { get; } = reason;
}
