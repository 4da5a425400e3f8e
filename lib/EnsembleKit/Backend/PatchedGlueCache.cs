using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace EnsembleKit.Backend;

/// <summary>A patched library ready to load, and what the cache did to get it (for <c>kit doctor</c>).</summary>
internal sealed record PatchedCopy(string Path, string Status);

/// <summary>
/// The kit's private copies of <c>libLibTorchSharp.so</c> with some version needs marked weak (see
/// <see cref="NativeLoader"/>): <c>&lt;root&gt;/&lt;first 16 hex digits of the source's SHA-256&gt;/libLibTorchSharp.so</c>,
/// beside a record <c>libLibTorchSharp.so.sha256</c>. A copy is loaded only after it has been checked, because the
/// process runs its code and the loader reads it through <c>mmap</c> (a truncated copy kills the process with SIGBUS).
/// </summary>
/// <remarks>
/// <para>The record is written after the library, both atomically (<see cref="AtomicFile"/>), and says what the copy is:
/// the SHA-256 of its bytes, the SHA-256 of the source it was made from (the source's identity: a TorchSharp upgrade,
/// or any other source, does not match) and the versions marked weak. Before loading, the copy is accepted only when
/// the record describes exactly the copy this source and these needs give now, and the file's SHA-256 is the recorded
/// one. Otherwise (missing, truncated, edited, left from an interrupted write, made from another source) it is
/// rebuilt in place, by an atomic rename, so a process that has the old copy mapped keeps running.</para>
/// <para>The folders are private (<see cref="PrivateFolder"/>): created with mode 0700 whatever the umask, narrowed when
/// others can write them, refused when another user owns them. The folder above the root (the kit's cache, which may be
/// shared on purpose, e.g. for data sets) is not changed, but the status says when others can write it: they could
/// then rename the root away and put their own in its place between the check and the load.</para>
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class PatchedGlueCache
{
    /// <summary>Library and record are readable and writable by their owner only.</summary>
    const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    readonly uint _owner;

    /// <param name="root">The cache folder, e.g. <c>&lt;KitPaths.CacheFolder&gt;/native</c>.</param>
    /// <param name="owner">The user the folders must belong to: this process's effective user unless a test says otherwise.</param>
    public PatchedGlueCache(string root, uint? owner = null)
    {
        Root = Path.GetFullPath(root);
        _owner = owner ?? PrivateFolder.CurrentUser;
    }

    /// <summary>The kit's cache: <c>&lt;<see cref="KitPaths.CacheFolder"/>&gt;/native</c>.</summary>
    public static PatchedGlueCache Default => new(Path.Combine(KitPaths.CacheFolder, "native"));

    public string Root { get; }

    /// <summary>
    /// A checked copy of <paramref name="source"/> (read as <paramref name="elf"/>) with <paramref name="weaken"/> marked
    /// weak: the cached one when it passes the checks, else a freshly written one. Throws
    /// <see cref="UnauthorizedAccessException"/> for a cache folder of another user's, <see cref="IOException"/> when the
    /// copy cannot be written or does not read back as written.
    /// </summary>
    public PatchedCopy Prepare(string source, ElfVersionNeeds elf, IReadOnlyCollection<ElfVersionNeeds.Need> weaken)
    {
        var bytes = elf.WithWeakNeeds(weaken);
        var expected = new Record(Sha256(bytes), elf.ContentSha256(), string.Join(' ', weaken.Select(n => n.Version).Order(StringComparer.Ordinal)));
        var folder = Path.Combine(Root, expected.SourceSha256[..16]);
        var fixes = new[] { PrivateFolder.Ensure(Root, _owner), PrivateFolder.Ensure(folder, _owner) }.OfType<string>().ToList();
        if (Path.GetDirectoryName(Root) is { } above && PrivateFolder.OthersCanReplaceEntries(above))
            fixes.Add($"warning: others can write {above} (mode {PrivateFolder.Octal(File.GetUnixFileMode(above))}), so they could swap {Root}; chmod go-w it");
        var target = Path.Combine(folder, Path.GetFileName(source));
        var recordPath = RecordPath(target);

        string? problem = Problem(target, recordPath, expected, bytes.Length);
        if (problem is null) return new PatchedCopy(target, Describe("verified against its SHA-256 record", fixes));

        AtomicFile.WriteAllBytes(target, bytes, FileMode);
        AtomicFile.WriteAllText(recordPath, expected.Format(source), FileMode);
        // Read back before loading: a write the file system did not keep must not reach the dynamic loader either.
        if (Problem(target, recordPath, expected, bytes.Length) is { } after)
            throw new IOException($"The patched copy {target} was written but does not read back as written ({after}).");
        return new PatchedCopy(target, Describe(problem == Missing ? "written" : $"rebuilt: {problem}", fixes));
    }

    /// <summary>The record beside a copy: its path with <c>.sha256</c> appended.</summary>
    public static string RecordPath(string copy) => copy + ".sha256";

    const string Missing = "missing";

    /// <summary>Why the cached copy cannot be loaded, or null when it can.</summary>
    static string? Problem(string target, string recordPath, Record expected, long length)
    {
        if (!File.Exists(target)) return Missing;
        if (!File.Exists(recordPath)) return "no SHA-256 record beside it (an interrupted write?)";
        var recorded = Record.Parse(File.ReadAllText(recordPath));
        if (recorded is null) return "its SHA-256 record is unreadable";
        if (recorded.SourceSha256 != expected.SourceSha256) return $"made from another source (SHA-256 {recorded.SourceSha256[..16]}..., now {expected.SourceSha256[..16]}...)";
        if (recorded.Weakened != expected.Weakened) return $"made with other needs marked weak ('{recorded.Weakened}', now '{expected.Weakened}')";
        if (recorded.CopySha256 != expected.CopySha256) return "its record describes other content than this source gives";
        long actual = new FileInfo(target).Length;
        if (actual != length) return $"{(actual < length ? "truncated" : "too long")}: {actual} bytes, expected {length}";
        if (Sha256(File.ReadAllBytes(target)) != expected.CopySha256) return "its SHA-256 differs from its record (the file was changed)";
        return null;
    }

    static string Describe(string what, List<string> fixes) => fixes.Count == 0 ? what : $"{what}; {string.Join("; ", fixes)}";

    static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>
    /// The record's content, one <c>key value</c> line each: <c>sha256</c> (the copy), <c>source-sha256</c>,
    /// <c>weakened</c> (space-separated versions) and, for people only, <c>source</c> (the path it was made from; not
    /// compared, so that checkouts whose identical sources sit in different folders share one copy).
    /// </summary>
    sealed record Record(string CopySha256, string SourceSha256, string Weakened)
    {
        public string Format(string source) =>
            $"sha256 {CopySha256}\nsource-sha256 {SourceSha256}\nweakened {Weakened}\nsource {source}\n";

        public static Record? Parse(string text)
        {
            var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', 2))
                .Where(parts => parts.Length == 2)
                .GroupBy(parts => parts[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
            return fields.TryGetValue("sha256", out var copy) && IsSha256(copy)
                   && fields.TryGetValue("source-sha256", out var sourceHash) && IsSha256(sourceHash)
                   && fields.TryGetValue("weakened", out var weakened)
                ? new Record(copy, sourceHash, weakened)
                : null;
        }

        static bool IsSha256(string hex) => hex.Length == 64 && hex.All(Uri.IsHexDigit);
    }
}
