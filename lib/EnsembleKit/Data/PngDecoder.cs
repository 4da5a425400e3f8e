using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EnsembleKit.Data;

/// <summary>
/// A decoded 8-bit image: <see cref="Pixels"/> holds <c>Height * Width * Channels</c> bytes in raster
/// order (row by row, pixel by pixel, channels interleaved: gray, gray+alpha, RGB or RGBA).
/// </summary>
public sealed record PngImage(int Width, int Height, int Channels, byte[] Pixels);

/// <summary>
/// A minimal PNG decoder for lossless dataset images: non-interlaced, bit depth 8, colour types
/// gray (0), RGB (2), gray+alpha (4) and RGBA (6). It reads IHDR, IDAT and IEND, checks every
/// chunk's CRC, inflates the zlib stream and undoes all five row filters. Anything else (palettes,
/// 16-bit or sub-byte depths, Adam7 interlacing) gets an <see cref="InvalidDataException"/> that
/// names the source and the unsupported value.
/// </summary>
public static class PngDecoder
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static PngImage Decode(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>Decodes PNG bytes; <paramref name="source"/> names them in errors.</summary>
    public static PngImage Decode(byte[] png, string source = "PNG")
    {
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            throw new InvalidDataException($"{source}: not a PNG file (the first 8 bytes are not the PNG signature 89 50 4E 47 0D 0A 1A 0A).");
        int width = 0, height = 0, channels = 0;
        bool sawHeader = false, sawEnd = false;
        using var compressed = new MemoryStream();
        int offset = Signature.Length;
        while (offset < png.Length && !sawEnd)
        {
            if (png.Length - offset < 12)
                throw new InvalidDataException($"{source}: truncated chunk header at byte {offset} (file length {png.Length}).");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            if (length > int.MaxValue || offset + 12L + length > png.Length)
                throw new InvalidDataException($"{source}: chunk '{type}' at byte {offset} claims {length} bytes but only {png.Length - offset - 12} remain; the file is truncated.");
            var data = png.AsSpan(offset + 8, (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + (int)length));
            uint actualCrc = Crc32.Compute(png.AsSpan(offset + 4, 4 + (int)length));
            if (storedCrc != actualCrc)
                throw new InvalidDataException($"{source}: CRC mismatch in chunk '{type}' at byte {offset} (stored {storedCrc:x8}, computed {actualCrc:x8}); the file is corrupt.");
            switch (type)
            {
                case "IHDR":
                    (width, height, channels) = ParseHeader(data, source);
                    sawHeader = true;
                    break;
                case "IDAT":
                    if (!sawHeader) throw new InvalidDataException($"{source}: IDAT chunk before IHDR.");
                    compressed.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                case "PLTE":
                    throw new InvalidDataException($"{source}: palette images are not supported.");
                default:
                    // Ancillary chunks (lower-case first letter) may be skipped; unknown critical ones may not.
                    if (char.IsUpper(type[0]))
                        throw new InvalidDataException($"{source}: unknown critical chunk '{type}'.");
                    break;
            }
            offset += 12 + (int)length;
        }
        if (!sawHeader) throw new InvalidDataException($"{source}: no IHDR chunk.");
        if (!sawEnd) throw new InvalidDataException($"{source}: no IEND chunk; the file is truncated.");
        if (compressed.Length == 0) throw new InvalidDataException($"{source}: no IDAT chunk.");

        int stride = width * channels;
        long rawLength = (long)height * (stride + 1);
        if (rawLength > Array.MaxLength) throw new InvalidDataException($"{source}: {width}x{height} with {channels} channels is too large to decode.");
        var raw = new byte[rawLength];
        compressed.Position = 0;
        try
        {
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            int read = ReadFully(zlib, raw);
            if (read < raw.Length)
                throw new InvalidDataException($"{source}: image data inflates to {read} bytes, expected {raw.Length} for {width}x{height} with {channels} channels; the file is truncated.");
            if (zlib.ReadByte() >= 0)
                throw new InvalidDataException($"{source}: image data inflates to more than the {raw.Length} bytes expected for {width}x{height} with {channels} channels.");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: the zlib stream in IDAT is corrupt ({e.Message}).", e);
        }
        return new PngImage(width, height, channels, Unfilter(raw, height, stride, channels, source));
    }

    static (int Width, int Height, int Channels) ParseHeader(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length != 13) throw new InvalidDataException($"{source}: IHDR has {data.Length} bytes, expected 13.");
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        byte depth = data[8], colour = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
            throw new InvalidDataException($"{source}: invalid image size {width}x{height}.");
        if (depth != 8) throw new InvalidDataException($"{source}: bit depth {depth} is not supported; only 8-bit images are.");
        int channels = colour switch
        {
            0 => 1,
            2 => 3,
            4 => 2,
            6 => 4,
            3 => throw new InvalidDataException($"{source}: palette images (colour type 3) are not supported."),
            _ => throw new InvalidDataException($"{source}: colour type {colour} is not a valid PNG colour type."),
        };
        if (compression != 0) throw new InvalidDataException($"{source}: compression method {compression} is not supported (only 0, deflate).");
        if (filter != 0) throw new InvalidDataException($"{source}: filter method {filter} is not supported (only 0).");
        if (interlace != 0) throw new InvalidDataException($"{source}: interlaced (Adam7) images are not supported.");
        return ((int)width, (int)height, channels);
    }

    /// <summary>Undoes the per-row filters (None, Sub, Up, Average, Paeth) in place of a fresh pixel array.</summary>
    static byte[] Unfilter(byte[] raw, int height, int stride, int bpp, string source)
    {
        var pixels = new byte[(long)height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = raw[(long)y * (stride + 1)];
            var line = raw.AsSpan((int)((long)y * (stride + 1) + 1), stride);
            var current = pixels.AsSpan((int)((long)y * stride), stride);
            var previous = y == 0 ? default : pixels.AsSpan((int)((long)(y - 1) * stride), stride);
            bool first = y == 0;
            switch (filter)
            {
                case 0:
                    line.CopyTo(current);
                    break;
                case 1:
                    for (int i = 0; i < stride; i++)
                        current[i] = (byte)(line[i] + (i >= bpp ? current[i - bpp] : 0));
                    break;
                case 2:
                    for (int i = 0; i < stride; i++)
                        current[i] = (byte)(line[i] + (first ? 0 : previous[i]));
                    break;
                case 3:
                    for (int i = 0; i < stride; i++)
                    {
                        int left = i >= bpp ? current[i - bpp] : 0;
                        int up = first ? 0 : previous[i];
                        current[i] = (byte)(line[i] + ((left + up) >> 1));
                    }
                    break;
                case 4:
                    for (int i = 0; i < stride; i++)
                    {
                        int left = i >= bpp ? current[i - bpp] : 0;
                        int up = first ? 0 : previous[i];
                        int upLeft = !first && i >= bpp ? previous[i - bpp] : 0;
                        current[i] = (byte)(line[i] + Paeth(left, up, upLeft));
                    }
                    break;
                default:
                    throw new InvalidDataException($"{source}: row {y} has filter type {filter}; PNG defines 0 to 4.");
            }
        }
        return pixels;
    }

    internal static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

/// <summary>CRC-32 (ISO-HDLC, as in PNG and zip), table-driven.</summary>
internal static class Crc32
{
    static readonly uint[] Table = BuildTable();

    static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
