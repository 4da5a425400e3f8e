using System.Net.Http;
using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// Gets verified Fashion-MNIST IDX files into a folder. Sources, in order, each tried only when the one
/// before failed:
/// <list type="number">
/// <item>the official URLs (fail fast when offline: <see cref="FashionMnistFetchOptions.ConnectTimeout"/>, first failure ends the step);</item>
/// <item><c>apt-get download dataset-fashion-mnist</c> (no root, needs apt's package lists);</item>
/// <item>the same .deb by its pool path under each Debian mirror in <c>/etc/apt</c> (no lists needed), length and SHA-256 checked.</item>
/// </list>
/// The .deb is unpacked with <see cref="DebFile"/> in a work folder of this process, <c>FOLDER/.download-PID-ID</c>, removed
/// afterwards (so members of a job array fetching at once never delete each other's files; a crashed run's is removed a day later).
/// Whatever the source, each file's content SHA-256 is checked before it is written (atomically) into the folder.
/// </summary>
public static class FashionMnistFetcher
{
    /// <summary>
    /// Makes sure the target folder holds the four files and returns its full path. Files already there are kept
    /// when the official URLs are used; the Debian package rewrites all four.
    /// </summary>
    /// <exception cref="FileNotFoundException">Every source failed; the message lists each step tried with its reason, then how to get the files.</exception>
    public static string Fetch(FashionMnistFetchOptions options)
    {
        var folder = Path.GetFullPath(options.Folder ?? DefaultFolder());
        var log = options.Log;
        // A file that is there but damaged (a truncated copy) counts as missing, so a fetch repairs what Load refuses.
        var missing = options.Files.Where(f => !IsValidIn(folder, f, log)).ToList();
        if (missing.Count == 0)
        {
            log($"Fashion-MNIST: all four files already in {folder}.");
            return folder;
        }

        var work = Path.Combine(folder, $".download-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var failures = new List<string>();
        using var http = new HttpClient(options.CreateHandler?.Invoke() ?? new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan, // HttpDownload applies the connect and download limits itself
        };
        try
        {
            RemoveStaleWorkFolders(folder);
            Directory.CreateDirectory(folder);

            if (Attempt("official URLs", () => FetchOfficial(missing, folder, work, http, options)))
                return Done($"Fashion-MNIST: downloaded from the official URLs into {folder}");

            foreach (var (step, getDeb) in DebianSources(options, work, http))
                if (Attempt(step, () => UnpackAndDelete(getDeb(), folder, options)))
                    return Done($"Fashion-MNIST: extracted from Debian's {options.Package.Name} into {folder}");
        }
        finally
        {
            DeleteFolder(work);
        }

        var steps = string.Join(Environment.NewLine, failures.Select((f, i) => $"  {i + 1}. {f}"));
        throw new FileNotFoundException(
            $"Fashion-MNIST could not be fetched into {folder}. Steps tried:{Environment.NewLine}{steps}{Environment.NewLine}" +
            $"Folders searched: {string.Join(", ", FashionMnist.SearchFolders())}.{Environment.NewLine}{FashionMnist.HowToGet}");

        bool Attempt(string step, Action action)
        {
            try
            {
                log($"Fashion-MNIST: trying {step}");
                action();
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException
                                          or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                var reason = e is OperationCanceledException ? "timed out" : e.Message;
                failures.Add($"{step}: {reason}");
                log($"Fashion-MNIST: {step} failed: {reason}");
                return false;
            }
        }

        string Done(string message)
        {
            log(message);
            return folder;
        }
    }

    /// <summary>$KIT_DATA/fashion-mnist when KIT_DATA is set, else the repository's data/fashion-mnist: both are searched by <see cref="FashionMnist.Load"/>.</summary>
    static string DefaultFolder() =>
        Environment.GetEnvironmentVariable("KIT_DATA") is { Length: > 0 } kitData
            ? Path.Combine(kitData, FashionMnist.Name)
            : Path.Combine(KitPaths.RepositoryData, FashionMnist.Name);

    /// <summary>Downloads each missing file into the work folder, checks its content, then moves it into place.</summary>
    static void FetchOfficial(List<DatasetFile> missing, string folder, string work, HttpClient http, FashionMnistFetchOptions options)
    {
        // One failure ends the step: offline, the other files would fail the same way, each after a timeout.
        foreach (var file in missing)
        {
            var temp = Path.Combine(work, file.Name + ".gz");
            HttpDownload.ToFile(http, file.Url, temp, options.ConnectTimeout, options.DownloadTimeout, options.Progress);
            FashionMnist.VerifyContent(file.Url, IdxReader.Read(temp), file);
            File.Move(temp, Path.Combine(folder, file.Name + ".gz"), overwrite: true);
        }
    }

    /// <summary>The ways to get the package's .deb, in order: apt-get download, then each mirror's pool path.</summary>
    static IEnumerable<(string Step, Func<string> GetDeb)> DebianSources(FashionMnistFetchOptions options, string work, HttpClient http)
    {
        var package = options.Package;
        if (options.AptGet is { } aptGet)
            yield return ($"{aptGet} download {package.Name}",
                () => DebianPackageDownload.WithAptGet(package, work, aptGet, options.DownloadTimeout, options.Log));
        foreach (var mirror in options.Mirrors ?? DebianMirrors.Find())
            yield return ($"Debian mirror {mirror}", // the exception names the full URL
                () => DebianPackageDownload.FromMirror(package, mirror, work, http, options.ConnectTimeout, options.DownloadTimeout, options.Progress));
    }

    static void UnpackAndDelete(string deb, string folder, FashionMnistFetchOptions options)
    {
        try { ExtractFromDeb(deb, folder, options); }
        finally { File.Delete(deb); } // 31 MB that is of no use once unpacked (or found wrong)
    }

    /// <summary>Reads the four .gz files from the .deb, checks each one's content SHA-256, then writes it atomically into <paramref name="folder"/>.</summary>
    internal static void ExtractFromDeb(string deb, string folder, FashionMnistFetchOptions options)
    {
        var inPackage = options.Files.ToDictionary(f => $"{options.PackageFolder.Trim('/')}/{f.Name}.gz");
        var contents = DebFile.ReadFiles(deb, inPackage.Keys);
        // Check all four before writing any, so a bad package leaves the folder as it was.
        foreach (var (path, file) in inPackage)
        {
            var source = $"{path} in {Path.GetFileName(deb)}";
            FashionMnist.VerifyContent(source, IdxReader.ParseMaybeGzip(contents[path], source), file);
        }
        foreach (var (path, file) in inPackage)
        {
            var target = Path.Combine(folder, file.Name + ".gz");
            AtomicFile.WriteAllBytes(target, contents[path]);
            options.Log($"  wrote {target} (content SHA-256 ok)");
        }
    }

    static void DeleteFolder(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    /// <summary>Whether the folder holds the file (raw or gzipped) with the right content.</summary>
    static bool IsValidIn(string folder, DatasetFile file, Action<string> log)
    {
        foreach (var path in new[] { Path.Combine(folder, file.Name), Path.Combine(folder, file.Name + ".gz") }.Where(File.Exists))
        {
            try
            {
                FashionMnist.VerifyContent(path, IdxReader.Read(path), file);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                log($"Fashion-MNIST: {path} is damaged ({e.Message}); fetching it again.");
            }
        }
        return false;
    }

    /// <summary>Work folders left by crashed runs (a day old or more; a live run's is younger), and the single
    /// <c>.download</c> folder of earlier versions.</summary>
    static void RemoveStaleWorkFolders(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var stale in Directory.EnumerateDirectories(folder, ".download*")
                     .Where(d => Path.GetFileName(d) == ".download" || Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddDays(-1)))
        {
            try { Directory.Delete(stale, recursive: true); }
            catch (IOException) { } // another process is removing it too
        }
    }
}
