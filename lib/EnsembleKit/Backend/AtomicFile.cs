namespace EnsembleKit.Backend;

/// <summary>Writes files so that a crash leaves either the old file or the new one, never half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside the target, then renames it over the target.
    /// <paramref name="mode"/>, on Unix, is the new file's permissions (less the umask); by default the umask alone decides.
    /// </summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is { } unixMode && !OperatingSystem.IsWindows()) options.UnixCreateMode = unixMode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes, UnixFileMode? mode = null) => Write(path, s => s.Write(bytes), mode);

    public static void WriteAllText(string path, string text, UnixFileMode? mode = null) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); }, mode);
}
