using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http;

namespace EnsembleKit.Data;

/// <summary>
/// Gets a <see cref="DebianPackage"/>'s <c>.deb</c> from the Debian archive into a folder, without root,
/// in either of two ways: <c>apt-get download</c> (needs apt's package lists, i.e. <c>apt-get update</c> has
/// run), or a plain HTTP fetch of its pool path under a mirror, checked against the known length and SHA-256.
/// </summary>
public static class DebianPackageDownload
{
    /// <summary>
    /// Runs <c><paramref name="aptGet"/> download NAME</c> in <paramref name="folder"/> and returns the .deb it
    /// wrote. apt verifies the file against its signed lists; when the version is the one
    /// <paramref name="package"/> describes, its length and SHA-256 are checked as well. apt-get's output lines go
    /// to <paramref name="log"/>; it is stopped after <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="IOException">apt-get cannot run, fails (its last error line is quoted: e.g. no package lists), times out, or writes no .deb.</exception>
    public static string WithAptGet(DebianPackage package, string folder, string aptGet, TimeSpan timeout, Action<string> log)
    {
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(aptGet)
        {
            ArgumentList = { "download", package.Name },
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Plain, untranslated messages: they end up in our error text.
        start.Environment["LC_ALL"] = "C";
        var lines = new List<string>();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new IOException($"{aptGet} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new IOException($"cannot run {aptGet} ({e.Message}).", e);
        }
        using (process)
        {
            void Collect(object _, DataReceivedEventArgs e)
            {
                if (string.IsNullOrWhiteSpace(e.Data)) return;
                lock (lines) lines.Add(e.Data.Trim());
                log("  " + e.Data.Trim());
            }
            process.OutputDataReceived += Collect;
            process.ErrorDataReceived += Collect;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new IOException($"{aptGet} download {package.Name} took longer than {timeout.TotalMinutes:F0} min and was stopped.");
            }
            process.WaitForExit(); // flushes the output handlers
            if (process.ExitCode != 0)
            {
                string reason;
                lock (lines) reason = lines.LastOrDefault(l => l.StartsWith("E:", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "no message";
                // The usual cause on a fresh machine, and the one apt's message does not name.
                if (reason.Contains("Unable to locate package", StringComparison.Ordinal))
                    reason += " (apt has no package lists: 'apt-get update' has not run)";
                throw new IOException($"{aptGet} exited with {process.ExitCode}: {reason}");
            }
        }

        var deb = Directory.GetFiles(folder, package.Name + "_*.deb").OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new IOException($"{aptGet} download {package.Name} succeeded but left no {package.Name}_*.deb in {folder}.");
        if (Path.GetFileName(deb) == package.FileName) package.Verify(deb, deb);
        return deb;
    }

    /// <summary>
    /// Fetches <paramref name="package"/> from <see cref="DebianPackage.UrlUnder"/> <paramref name="mirror"/> into
    /// <paramref name="folder"/> (progress to <paramref name="progress"/>) and checks its length and SHA-256;
    /// a file that fails the check is deleted.
    /// </summary>
    /// <exception cref="HttpRequestException">The mirror cannot be reached or has no such file (the URL is named).</exception>
    /// <exception cref="TimeoutException">The mirror did not answer within <paramref name="connectTimeout"/>.</exception>
    /// <exception cref="InvalidDataException">The file's length or SHA-256 is not the expected one (both values are named).</exception>
    public static string FromMirror(DebianPackage package, string mirror, string folder, HttpClient http,
        TimeSpan connectTimeout, TimeSpan downloadTimeout, TextWriter? progress)
    {
        var url = package.UrlUnder(mirror);
        var deb = Path.Combine(folder, package.FileName);
        HttpDownload.ToFile(http, url, deb, connectTimeout, downloadTimeout, progress);
        try
        {
            package.Verify(deb, url);
        }
        catch
        {
            File.Delete(deb);
            throw;
        }
        return deb;
    }
}
