namespace EnsembleKit.Backend;

/// <summary>
/// Checks, before any work starts, that outputs can be written where they were asked for, so that a long run is not
/// lost at its end on a folder that cannot be written. A check creates and deletes a probe file in the folder that the
/// output needs to write into (the nearest existing one when folders are still to be created), which is what
/// <see cref="AtomicFile"/> later does.
/// </summary>
public static class OutputPaths
{
    /// <summary>
    /// Null when files can be written in <paramref name="folder"/> (created when missing, as <see cref="AtomicFile"/>
    /// does), else why not, naming <paramref name="folder"/>.
    /// </summary>
    public static string? FolderProblem(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) return $"{full} is a file, not a folder.";
        // The nearest existing folder is where something gets created: the file itself, or the first missing folder.
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) return $"cannot create folder {full}: {existing} is a file.";
            existing = Path.GetDirectoryName(existing);
            if (existing is null) return $"cannot create folder {full}: no part of it exists.";
        }
        return ProbeProblem(existing, full);
    }

    /// <summary>
    /// Null when <paramref name="file"/> can be written (its folder created when missing), else why not, naming
    /// <paramref name="file"/>.
    /// </summary>
    public static string? FileProblem(string file)
    {
        var full = Path.GetFullPath(file);
        if (Directory.Exists(full)) return $"{full} is a folder, not a file.";
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{full} has no folder.");
        return FolderProblem(folder) is { } problem ? $"cannot write {full}: {problem}" : null;
    }

    /// <summary>Creates and deletes a probe file in <paramref name="existing"/>; null when that worked.</summary>
    static string? ProbeProblem(string existing, string target)
    {
        var probe = Path.Combine(existing, $".kit-probe-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var cannot = $"cannot write in {existing}: {Reason(e, probe)}.";
            return existing == target ? cannot : $"cannot create {target}: {cannot}";
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe);
        }
    }

    /// <summary>The reason of a failed write, without the name of the probe file it was about.</summary>
    internal static string Reason(Exception e, string tempFile) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        // What a pseudo file system such as /proc answers to a new file.
        FileNotFoundException or DirectoryNotFoundException => "the file system takes no new files there",
        _ => e.Message.Replace($" : '{tempFile}'", "").Replace($"'{tempFile}'", "").Replace(tempFile, "").Trim(' ', '.', ':'),
    };
}
