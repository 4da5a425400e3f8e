using System.Buffers.Binary;
using System.IO.Compression;

namespace EnsembleKit.Data;

/// <summary>An IDX array (the MNIST file format): unsigned bytes and their dimensions.</summary>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    public long Count => Dimensions[0];
}

/// <summary>
/// Reads IDX files (raw or gzip-compressed) of unsigned bytes, validating the magic number,
/// the dimensions and the length; every error names the file and the expected and actual sizes.
/// </summary>
public static class IdxReader
{
    const byte UnsignedByteType = 0x08;

    public static IdxArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file not found: {path}", path);
        return ParseMaybeGzip(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses IDX bytes that may be gzip-compressed (told by the gzip magic); <paramref name="source"/> names them in errors.</summary>
    public static IdxArray ParseMaybeGzip(byte[] raw, string source)
    {
        byte[] bytes;
        try
        {
            bytes = Gunzip(raw);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{source}: the gzip stream is corrupt or truncated ({e.Message}).", e);
        }
        return Parse(bytes, source);
    }

    /// <summary>Parses IDX bytes; <paramref name="source"/> names them in errors.</summary>
    public static IdxArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short for an IDX header (at least 4 bytes expected).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: bad IDX magic number 0x{bytes[0]:x2}{bytes[1]:x2}{bytes[2]:x2}{bytes[3]:x2}; an IDX file starts with two zero bytes.");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{source}: IDX element type 0x{bytes[2]:x2} is not supported; only unsigned bytes (0x08) are.");
        int rank = bytes[3];
        if (rank is < 1 or > 4)
            throw new InvalidDataException($"{source}: IDX rank {rank} is out of range (1 to 4).");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new InvalidDataException($"{source}: truncated header: expected {header} bytes for rank {rank}, found {bytes.Length}.");

        var dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] <= 0) throw new InvalidDataException($"{source}: dimension {i} is {dims[i]}; dimensions must be positive.");
            expected *= dims[i];
        }
        long actual = bytes.Length - header;
        if (actual != expected)
            throw new InvalidDataException(
                $"{source}: expected {expected:N0} data bytes for dimensions [{string.Join(", ", dims)}] " +
                $"(file size {header + expected:N0}), found {actual:N0} (file size {bytes.Length:N0}); the file is {(actual < expected ? "truncated" : "too long")}.");
        return new IdxArray(dims, bytes[header..]);
    }

    static byte[] Gunzip(byte[] raw)
    {
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b) return raw;
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var output = new MemoryStream(raw.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
