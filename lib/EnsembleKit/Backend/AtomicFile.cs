namespace EnsembleKit.Backend;

/// <summary>Writes files so that a crash leaves either the old file or the new one, never half of one.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes through <paramref name="write"/> into a temporary file beside the target, then renames it over the target.
    /// <paramref name="mode"/>, on Unix, is the new file's permissions (less the umask); by default the umask alone decides.
    /// </summary>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/>, not the temporary file.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        var full = Path.GetFullPath(path);
        var temp = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (mode is { } unixMode && !OperatingSystem.IsWindows()) options.UnixCreateMode = unixMode;
        bool inCallback = false;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, options))
            {
                inCallback = true;
                write(stream);
                inCallback = false;
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        // The temporary file is an implementation detail: errors about it are about the file that was asked for. The
        // callback's own errors (a download's network error) pass unchanged.
        catch (UnauthorizedAccessException e) when (!inCallback || e.Message.Contains(temp, StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException($"cannot write {full}: permission denied.", e);
        }
        catch (IOException e) when (!inCallback || e.Message.Contains(temp, StringComparison.Ordinal))
        {
            throw new IOException($"cannot write {full}: {OutputPaths.Reason(e, temp)}.", e);
        }
        finally
        {
            try { if (File.Exists(temp)) File.Delete(temp); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the error above says what went wrong
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes, UnixFileMode? mode = null) => Write(path, s => s.Write(bytes), mode);

    public static void WriteAllText(string path, string text, UnixFileMode? mode = null) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); }, mode);
}
