using System.Diagnostics;
using System.Net.Http;
using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// Streams one URL into a file, written atomically, failing fast when the host cannot be reached
/// and showing progress (bytes received / total) on a line that updates in place.
/// </summary>
public static class HttpDownload
{
    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="path"/>.
    /// </summary>
    /// <param name="url">What to download; errors name it.</param>
    /// <param name="path">The target file, written atomically (a temporary file beside it, then a rename).</param>
    /// <param name="http">The client; its own timeout should be infinite, since the two limits below apply.</param>
    /// <param name="connectTimeout">How long to wait for a connection and the response headers: offline, this is all it costs.</param>
    /// <param name="downloadTimeout">How long the whole transfer may take.</param>
    /// <param name="progress">Where the progress line goes (null: nowhere). On a terminal the line is rewritten
    /// in place; otherwise a new line is written each 10 %.</param>
    /// <exception cref="HttpRequestException">The host refused, did not resolve, or answered with an error status; the message names the URL.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="connectTimeout"/>, or the transfer took longer than <paramref name="downloadTimeout"/>.</exception>
    /// <exception cref="IOException">The transfer ended before the announced length.</exception>
    public static void ToFile(HttpClient http, string url, string path, TimeSpan connectTimeout, TimeSpan downloadTimeout, TextWriter? progress)
    {
        using var headers = new CancellationTokenSource(connectTimeout);
        HttpResponseMessage response;
        try
        {
            response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, headers.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"{url}: no answer within {connectTimeout.TotalSeconds:F0} s (offline, or the host is unreachable).", e);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{url}: {e.Message}", e, e.StatusCode);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            long? length = response.Content.Headers.ContentLength;
            using var total = new CancellationTokenSource(downloadTimeout);
            var line = progress is null ? null : new ProgressLine(progress, Path.GetFileName(path), length);
            long received = 0;
            try
            {
                using var body = response.Content.ReadAsStream(total.Token);
                AtomicFile.Write(path, file =>
                {
                    var buffer = new byte[1 << 20];
                    int n;
                    while ((n = body.ReadAsync(buffer, total.Token).AsTask().GetAwaiter().GetResult()) > 0)
                    {
                        file.Write(buffer, 0, n);
                        received += n;
                        line?.Report(received);
                    }
                    // Checked before the rename: a short body must never replace the file at path, even for a moment.
                    if (length is long expected && received != expected)
                        throw new IOException($"{url}: the download ended after {received:N0} of {expected:N0} bytes.");
                });
            }
            catch (OperationCanceledException e)
            {
                throw new TimeoutException($"{url}: the download took longer than {downloadTimeout.TotalMinutes:F0} min ({received:N0} bytes received).", e);
            }
            finally
            {
                line?.Finish(received);
            }
        }
    }

    /// <summary>One progress line: rewritten with '\r' on a terminal, else one line each 10 % so logs stay short (each
    /// 10 s when the server sent no length).</summary>
    sealed class ProgressLine(TextWriter writer, string label, long? total)
    {
        readonly bool inPlace = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
        readonly Stopwatch clock = Stopwatch.StartNew();
        long lastWriteMs = -1_000; // so that the first report is drawn
        int lastDecile = -1;

        public void Report(long received)
        {
            if (inPlace)
            {
                // Redrawing more often than 5 times a second only costs time.
                if (clock.ElapsedMilliseconds - lastWriteMs < 200) return;
                lastWriteMs = clock.ElapsedMilliseconds;
                writer.Write("\r" + Text(received));
            }
            else if (total is > 0)
            {
                if ((int)(received * 10 / total.Value) is var decile && decile > lastDecile)
                {
                    lastDecile = decile;
                    writer.WriteLine(Text(received));
                }
            }
            else if (clock.ElapsedMilliseconds - lastWriteMs >= 10_000)
            {
                // No length to take tenths of: a line every 10 s, so a long transfer is never silent.
                lastWriteMs = clock.ElapsedMilliseconds;
                writer.WriteLine(Text(received));
            }
        }

        public void Finish(long received)
        {
            if (inPlace) writer.WriteLine("\r" + Text(received));
            else if (total is not > 0 || lastDecile < 10) writer.WriteLine(Text(received));
        }

        string Text(long received)
        {
            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
            var rate = $"{received / 1e6 / seconds:F1} MB/s";
            return total is > 0
                ? $"  {label}: {received:N0} / {total.Value:N0} bytes ({100.0 * received / total.Value:F0} %, {rate})"
                : $"  {label}: {received:N0} bytes ({rate})";
        }
    }
}
