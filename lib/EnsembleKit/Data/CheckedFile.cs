using System.Security.Cryptography;

namespace EnsembleKit.Data;

/// <summary>
/// A dataset file known by its published MD5 (the checksum the dataset's authors give) and, where known, its exact length.
/// </summary>
public sealed record CheckedFile(string Name, long? Length, string Md5)
{
    /// <summary>The lower-case hex MD5 of <paramref name="bytes"/>.</summary>
    public static string Md5Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant();

    /// <summary>The lower-case hex MD5 of a file's content.</summary>
    public static string Md5OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(MD5.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="folder"/> holds this file with the right length and MD5.</summary>
    public bool IsValidIn(string folder)
    {
        var path = Path.Combine(folder, Name);
        return File.Exists(path) && (Length is null || new FileInfo(path).Length == Length) && Md5OfFile(path) == Md5;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> unless the bytes are this file.</summary>
    public void Verify(ReadOnlySpan<byte> bytes, string source)
    {
        if (Length is long length && bytes.Length != length)
            throw new InvalidDataException($"{source}: {bytes.Length:N0} bytes, expected {length:N0} (the official {Name}); the file is truncated or not the official one.");
        var actual = Md5Of(bytes);
        if (actual != Md5)
            throw new InvalidDataException($"{source}: MD5 is {actual}, expected {Md5} (the official {Name}); the file is corrupt.");
    }
}
