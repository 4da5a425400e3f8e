using System.Security.Cryptography;
using System.Text;
using EnsembleKit.Backend;

namespace EnsembleKit.Training;

/// <summary>
/// The checkpoint file layout (format v2): a text header with the run's settings, the binary payload, and a closing line
/// with the SHA-256 of everything before it:
/// <code>
/// EnsembleKit checkpoint v2
/// seed: 3
/// epochs: 4
/// ...                       (one "name: value" line a compared setting)
/// # data name: Fashion-MNIST train    (notes: recorded, not compared)
///                           (an empty line ends the header)
/// payload                   (written by Checkpoint: epochs done, history, model, optimiser)
/// EnsembleKit checkpoint end, sha256 5f0c...   (64 hex digits; preceded by a line break, followed by one)
/// </code>
/// The header can be read with <c>head</c>. Files are written atomically; reading checks the layout and the checksum and
/// refuses a file that fails either with a <see cref="CheckpointDamagedException"/> naming it.
/// </summary>
internal static class CheckpointFile
{
    public const string FormatLine = "EnsembleKit checkpoint v2";
    const string FormatFamily = "EnsembleKit checkpoint v";
    const string TrailerPrefix = "\nEnsembleKit checkpoint end, sha256 ";
    const int HashHexLength = 64;
    static readonly int TrailerLength = Encoding.ASCII.GetByteCount(TrailerPrefix) + HashHexLength + 1;
    /// <summary>Headers are a few hundred bytes; a file without a header end within this many bytes is not a checkpoint.</summary>
    const int MaxHeaderBytes = 64 * 1024;

    /// <summary>Format v1 (before run settings and checksums) began with this string, as BinaryWriter writes it.</summary>
    static readonly byte[] Version1Start = [(byte)"EnsembleKit.Checkpoint.v1".Length, .. Encoding.ASCII.GetBytes("EnsembleKit.Checkpoint.v1")];

    /// <summary>Writes header, payload and checksum atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, RunFingerprint fingerprint, Action<Stream> writePayload)
    {
        var header = new StringBuilder(FormatLine).Append('\n');
        foreach (var (key, value) in fingerprint.Settings) header.Append(key).Append(": ").Append(value).Append('\n');
        foreach (var (key, value) in fingerprint.Notes) header.Append("# ").Append(key).Append(": ").Append(value).Append('\n');
        header.Append('\n');

        AtomicFile.Write(path, stream =>
        {
            using var sha = SHA256.Create();
            // A hash transform passes the bytes through unchanged, so the file and its checksum are written in one pass.
            using (var hashing = new CryptoStream(stream, sha, CryptoStreamMode.Write, leaveOpen: true))
            {
                hashing.Write(Encoding.UTF8.GetBytes(header.ToString()));
                writePayload(hashing);
                hashing.FlushFinalBlock();
            }
            stream.Write(Encoding.ASCII.GetBytes($"{TrailerPrefix}{Convert.ToHexString(sha.Hash!).ToLowerInvariant()}\n"));
        });
    }

    /// <summary>
    /// Checks the file's layout and checksum and parses its header; returns the recorded fingerprint and where the payload
    /// lies. Throws <see cref="CheckpointDamagedException"/> for an empty, foreign, old-format, truncated or changed file.
    /// </summary>
    public static (RunFingerprint Fingerprint, long PayloadStart, long PayloadEnd) Verify(Stream stream, string path)
    {
        long length = stream.Length;
        var start = new byte[(int)Math.Min(length, MaxHeaderBytes)];
        stream.Position = 0;
        stream.ReadExactly(start);
        CheckFormat(start, path);

        int headerEnd = start.AsSpan().IndexOf("\n\n"u8);
        if (headerEnd < 0)
            throw new CheckpointDamagedException(path, $"its header does not end within the first {start.Length:N0} bytes (the file is truncated or damaged).");
        long payloadStart = headerEnd + 2;
        long payloadEnd = length - TrailerLength;
        var recorded = payloadEnd >= payloadStart ? ReadTrailer(stream, payloadEnd) : null;
        if (recorded is null)
            throw new CheckpointDamagedException(path, $"it is truncated or damaged at its end: a complete checkpoint ends with the line "
                + $"'{TrailerPrefix.Trim()} <checksum>', and this one ({length:N0} bytes) does not.");

        var actual = Sha256Hex(stream, payloadEnd);
        if (actual != recorded)
            throw new CheckpointDamagedException(path, $"it was changed or corrupted after it was written: its contents have SHA-256 {actual[..16]}..., "
                + $"but {recorded[..16]}... was recorded when it was written.");

        return (ParseHeader(Encoding.UTF8.GetString(start, 0, headerEnd), path), payloadStart, payloadEnd);
    }

    static void CheckFormat(byte[] start, string path)
    {
        if (start.Length == 0) throw new CheckpointDamagedException(path, "the file is empty.");
        if (start.AsSpan().StartsWith(Version1Start))
            throw new CheckpointDamagedException(path, "it was written by an older EnsembleKit (checkpoint format v1), which recorded neither the run's "
                + "settings nor a checksum, so it cannot be checked against this run.");
        var formatLine = Encoding.ASCII.GetBytes(FormatLine + "\n");
        if (start.AsSpan().StartsWith(formatLine)) return;
        if (formatLine.AsSpan().StartsWith(start))
            throw new CheckpointDamagedException(path, $"it is truncated: it ends after {start.Length:N0} bytes, within its first line.");
        var firstLine = Encoding.UTF8.GetString(start, 0, Math.Min(start.Length, 80)).Split('\n')[0];
        throw new CheckpointDamagedException(path, firstLine.StartsWith(FormatFamily, StringComparison.Ordinal)
            ? $"it is in a checkpoint format this kit does not read ('{firstLine}'; this kit reads '{FormatLine}')."
            : $"it is not an EnsembleKit checkpoint (it does not start with '{FormatLine}').");
    }

    /// <summary>The recorded checksum, or null when the file does not end with a trailer.</summary>
    static string? ReadTrailer(Stream stream, long trailerStart)
    {
        var trailer = new byte[TrailerLength];
        stream.Position = trailerStart;
        stream.ReadExactly(trailer);
        var text = Encoding.ASCII.GetString(trailer);
        if (!text.StartsWith(TrailerPrefix, StringComparison.Ordinal) || text[^1] != '\n') return null;
        var hex = text[TrailerPrefix.Length..^1];
        return hex.All(char.IsAsciiHexDigitLower) ? hex : null;
    }

    static string Sha256Hex(Stream stream, long end)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        stream.Position = 0;
        for (long left = end; left > 0;)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new EndOfStreamException();
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return Convert.ToHexString(hash.GetCurrentHash()).ToLowerInvariant();
    }

    static RunFingerprint ParseHeader(string header, string path)
    {
        var settings = new List<KeyValuePair<string, string>>();
        var notes = new List<KeyValuePair<string, string>>();
        foreach (var line in header.Split('\n').Skip(1))
        {
            bool note = line.StartsWith("# ", StringComparison.Ordinal);
            var body = note ? line[2..] : line;
            int colon = body.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0) throw new CheckpointDamagedException(path, $"its header has a line that is not 'name: value': '{line}'.");
            (note ? notes : settings).Add(new(body[..colon], body[(colon + 2)..]));
        }
        try
        {
            return new RunFingerprint(settings, notes);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointDamagedException(path, $"its header is malformed: {e.Message}", e);
        }
    }
}
