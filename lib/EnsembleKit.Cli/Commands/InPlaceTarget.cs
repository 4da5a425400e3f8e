using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EnsembleKit.Backend;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Cli.Commands;

/// <summary>
/// Where <c>kit run --in-place</c> writes the executed notebook: over the notebook's own file (through symlinks, over the
/// real file, so a link stays a link), as long as that file still holds what the run read or last wrote there. When it
/// does not (an editor saved the notebook during a long run), the file is left as it is and the outputs go to
/// <c>.NAME.kit-run-TIME.ipynb</c> beside it, so neither the edit nor the run is lost. The check runs before every save;
/// only an edit saved in the instant between a check and its write could still be overwritten.
/// </summary>
sealed class InPlaceTarget
{
    readonly string _notebook;
    readonly TextWriter _log;
    byte[] _expected;
    string? _diverted;

    InPlaceTarget(string notebook, byte[] expected, TextWriter log) => (_notebook, _expected, _log) = (notebook, expected, log);

    /// <summary>
    /// Reads the notebook at <paramref name="path"/> once: the <see cref="Notebook"/> to run (named by
    /// <paramref name="path"/>, as <see cref="Notebook.Load"/> names it) and the target that remembers those exact bytes.
    /// </summary>
    public static (InPlaceTarget Target, Notebook Source) Load(string path, TextWriter log)
    {
        var file = RealPath(path);
        var bytes = File.ReadAllBytes(file);
        using var reader = new StreamReader(new MemoryStream(bytes));   // as File.ReadAllText: UTF-8 unless a byte-order mark says otherwise
        return (new InPlaceTarget(file, SHA256.HashData(bytes), log), Notebook.Parse(reader.ReadToEnd(), path));
    }

    /// <summary>The file the saves go to: the notebook, or the file beside it once the notebook changed under the run.</summary>
    public string SavePath => _diverted ?? _notebook;

    /// <summary>Writes <paramref name="notebook"/> (atomically) to <see cref="SavePath"/>, checking first that the notebook is as the run left it.</summary>
    public void Save(Notebook notebook)
    {
        if (_diverted is null && !SHA256.HashData(File.Exists(_notebook) ? File.ReadAllBytes(_notebook) : []).AsSpan().SequenceEqual(_expected))
        {
            var name = Path.GetFileNameWithoutExtension(_notebook);
            _diverted = Path.Combine(Path.GetDirectoryName(_notebook)!, $".{name}.kit-run-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.ipynb");
            _log.WriteLine($"kit run: {_notebook} changed on disk during the run (saved from an editor?); it is left as it is, "
                + $"and the outputs go to {_diverted}.");
        }
        // The bytes Notebook.Save would write (UTF-8, no byte-order mark), hashed as written: no second read, in which an
        // editor's save could pass for the run's own.
        var bytes = Encoding.UTF8.GetBytes(notebook.ToJson());
        AtomicFile.Write(SavePath, stream => stream.Write(bytes));
        if (_diverted is null) _expected = SHA256.HashData(bytes);
    }

    /// <summary>Why the real file behind <paramref name="path"/> cannot be written in place, or null when it can.</summary>
    public static string? WriteProblem(string path)
    {
        try { return OutputPaths.FileProblem(RealPath(path)); }
        catch (FileNotFoundException e) { return e.Message; }
    }

    /// <summary>
    /// The file <paramref name="path"/> names, every symlink in it resolved (the file an atomic write must replace for the
    /// link to stay a link). On Unix this is the C library's <c>realpath</c>: resolving link targets as text would apply a
    /// target's <c>..</c> to the link's folder name rather than to the folder it stands for.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path, or a link in it, leads nowhere.</exception>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        var resolved = RealPath(full, IntPtr.Zero);
        if (resolved == IntPtr.Zero) throw new FileNotFoundException($"{full} does not exist (or a symlink in it leads nowhere).", full);
        try { return Marshal.PtrToStringUTF8(resolved)!; }
        finally { Free(resolved); }
    }

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    static extern IntPtr RealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    static extern void Free(IntPtr pointer);
}
