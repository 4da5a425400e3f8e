using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;

namespace EnsembleKit.Data;

/// <summary>
/// Reads files out of a Debian binary package (<c>.deb</c>) without installing it and without root.
/// A .deb is an <c>ar</c> archive whose <c>data.tar.xz</c> (or .gz, .zst) holds the files; the BCL has no
/// XZ reader, so Debian's own <c>dpkg-deb --fsys-tarfile</c> (part of dpkg, present on every Debian)
/// turns it into a plain tar stream, which <see cref="TarReader"/> reads.
/// </summary>
public static class DebFile
{
    /// <summary>
    /// The content of each of <paramref name="paths"/> in the package at <paramref name="debPath"/>.
    /// Paths are as installed, without the leading slash (<c>usr/share/datasets/fashion-mnist/...</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">The package lacks some of the paths (all are named), or is not a valid .deb (dpkg-deb's message is quoted).</exception>
    /// <exception cref="IOException">dpkg-deb cannot be run.</exception>
    public static IReadOnlyDictionary<string, byte[]> ReadFiles(string debPath, IReadOnlyCollection<string> paths)
    {
        var wanted = paths.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var start = new ProcessStartInfo("dpkg-deb")
        {
            ArgumentList = { "--fsys-tarfile", debPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException("dpkg-deb did not start.");
        }
        catch (Win32Exception e)
        {
            throw new IOException($"cannot run dpkg-deb to unpack {debPath} ({e.Message}); it comes with Debian's dpkg package.", e);
        }

        using (process)
        {
            // Read stderr concurrently, or a chatty dpkg-deb could block on a full pipe.
            var errors = process.StandardError.ReadToEndAsync();
            Exception? tarError = null;
            try
            {
                using var tar = new TarReader(process.StandardOutput.BaseStream);
                while (tar.GetNextEntry() is { } entry)
                {
                    var name = Normalize(entry.Name);
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.Contains(name)) continue;
                    using var memory = new MemoryStream();
                    entry.DataStream?.CopyTo(memory);
                    found[name] = memory.ToArray();
                }
                // Let dpkg-deb write out the tar's trailing padding and exit.
                process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                tarError = e; // usually dpkg-deb stopped half-way; its own message below says why
            }
            process.WaitForExit();
            var stderr = errors.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
                throw new InvalidDataException($"{debPath}: dpkg-deb --fsys-tarfile failed (exit {process.ExitCode}): {(stderr.Length > 0 ? stderr : "no message")}; the file is not a valid .deb.");
            if (tarError is not null)
                throw new InvalidDataException($"{debPath}: the package's file archive is unreadable ({tarError.Message}).", tarError);
        }

        var missing = wanted.Where(p => !found.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{debPath}: the package lacks {string.Join(", ", missing)}.");
        return found;
    }

    /// <summary>Tar names in a .deb start with "./"; callers name files as installed, maybe with a leading "/".</summary>
    static string Normalize(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path.TrimStart('/');
}
