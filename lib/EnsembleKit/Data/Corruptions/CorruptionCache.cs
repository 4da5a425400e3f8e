using System.Security.Cryptography;
using EnsembleKit.Backend;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// Generated corrupted sets on disk, like the kit's downloaded data: one raw 8-bit file <c>[N, C, H, W]</c> per
/// (corruption, severity, seed) in <c>&lt;data&gt;/&lt;source folder&gt;/</c> (<see cref="DataFolders"/>), with a
/// <c>.sha256</c> file recording its SHA-256, length and shape. A file is reused only when all three match; otherwise it is
/// generated again. Files are written atomically (temp file + rename).
/// </summary>
public static class CorruptionCache
{
    /// <summary>Bumped whenever a corruption's output changes, so stale files are never read.</summary>
    public const int Version = 1;

    public static string FileName(string corruption, int severity, long seed) => $"{corruption}-s{severity}-seed{seed}-v{Version}.u8";

    /// <summary>The cached bytes for this set and shape from the first folder that holds a valid copy, or null.</summary>
    public static byte[]? TryRead(CorruptionSource source, string corruption, int severity, long seed, long[] shape)
    {
        foreach (var folder in DataFolders.Search(source.FolderName))
        {
            var path = Path.Combine(folder, FileName(corruption, severity, seed));
            if (!File.Exists(path) || !File.Exists(path + ".sha256")) continue;
            var record = File.ReadAllLines(path + ".sha256");
            var bytes = File.ReadAllBytes(path);
            if (record.Length >= 3 && record[0] == Sha256(bytes) && record[1] == bytes.LongLength.ToString()
                && record[2] == string.Join(",", shape))
                return bytes;
        }
        return null;
    }

    /// <summary>Writes the bytes and their record into <see cref="DataFolders.DownloadTarget"/>; returns the file's path.</summary>
    public static string Write(CorruptionSource source, string corruption, int severity, long seed, long[] shape, byte[] bytes)
    {
        var folder = DataFolders.DownloadTarget(source.FolderName);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName(corruption, severity, seed));
        AtomicFile.WriteAllBytes(path, bytes);
        AtomicFile.WriteAllBytes(path + ".sha256", System.Text.Encoding.UTF8.GetBytes($"{Sha256(bytes)}\n{bytes.LongLength}\n{string.Join(",", shape)}\n"));
        return path;
    }

    /// <summary>The first folder holding any generated set of this source, or null.</summary>
    public static string? FindFolder(CorruptionSource source) =>
        DataFolders.Search(source.FolderName).FirstOrDefault(f => Directory.Exists(f) && Directory.EnumerateFiles(f, "*.u8.sha256").Any());

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
