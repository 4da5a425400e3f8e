using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace EnsembleKit.Tests.Data;

/// <summary>Writers for tiny but valid dataset files (PNG, MAT level 5, NPY, tar.gz), written from the format specs.</summary>
internal static class TestFiles
{
    // ---------- PNG ----------

    /// <summary>Encodes 8-bit pixels (raster order, interleaved channels); row y uses filter <c>filters[y % filters.Length]</c>.</summary>
    public static byte[] Png(int width, int height, int channels, byte[] pixels, int[] filters)
    {
        int colour = channels switch { 1 => 0, 2 => 4, 3 => 2, 4 => 6, _ => throw new ArgumentException("channels") };
        int stride = width * channels;
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            int f = filters[y % filters.Length];
            raw.WriteByte((byte)f);
            for (int i = 0; i < stride; i++)
            {
                int x = pixels[y * stride + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
                int predictor = f switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, 4 => PaethPredictor(a, b, c), _ => throw new ArgumentException("filter") };
                raw.WriteByte((byte)(x - predictor));
            }
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = (byte)colour;
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        var compressed = Zlib(raw.ToArray());
        // split IDAT in two chunks to exercise concatenation
        int half = compressed.Length / 2;
        Chunk(png, "IDAT", compressed[..half]);
        Chunk(png, "IDAT", compressed[half..]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static int PaethPredictor(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static void Chunk(Stream png, string type, byte[] data)
    {
        var lengthBytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(lengthBytes, data.Length);
        png.Write(lengthBytes);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(typed));
        png.Write(crc);
    }

    static uint Crc(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    public static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    // ---------- MATLAB level 5 ----------

    public const int MiInt8 = 1, MiUInt8 = 2, MiInt32 = 5, MiUInt32 = 6, MiDouble = 9, MiMatrix = 14, MiCompressed = 15;
    public const int MxDouble = 6, MxUInt8 = 9, MxChar = 4;

    /// <summary>A MAT variable: class, dims, storage type and raw little-endian data.</summary>
    public sealed record MatVariable(string Name, int ClassId, int[] Dims, int StorageType, byte[] Data);

    /// <summary>A level-5 MAT-file; each variable compressed (miCOMPRESSED) or plain.</summary>
    public static byte[] Mat(bool compress, params MatVariable[] variables)
    {
        var file = new MemoryStream();
        var text = Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024".PadRight(116));
        file.Write(text);
        file.Write(new byte[8]);                 // subsystem data offset
        file.Write([0x00, 0x01, (byte)'I', (byte)'M']);  // version 0x0100, endian indicator
        foreach (var v in variables)
        {
            var matrix = Element(MiMatrix, MatrixBody(v));
            if (compress)
            {
                var z = Zlib(matrix);
                WriteTag(file, MiCompressed, z.Length);
                file.Write(z); // compressed elements are not padded
            }
            else
            {
                file.Write(matrix);
            }
        }
        return file.ToArray();
    }

    static byte[] MatrixBody(MatVariable v)
    {
        var body = new MemoryStream();
        var flags = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)v.ClassId);
        body.Write(Element(MiUInt32, flags));
        var dims = new byte[4 * v.Dims.Length];
        for (int i = 0; i < v.Dims.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(dims.AsSpan(4 * i), v.Dims[i]);
        body.Write(Element(MiInt32, dims));
        body.Write(Element(MiInt8, Encoding.ASCII.GetBytes(v.Name)));
        body.Write(Element(v.StorageType, v.Data));
        return body.ToArray();
    }

    /// <summary>A data element: the small format when the data fits in 4 bytes, else tag + data padded to 8.</summary>
    public static byte[] Element(int type, byte[] data)
    {
        var e = new MemoryStream();
        if (data.Length <= 4 && data.Length > 0)
        {
            var word = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)(data.Length << 16 | type));
            e.Write(word);
            var padded = new byte[4];
            data.CopyTo(padded, 0);
            e.Write(padded);
            return e.ToArray();
        }
        WriteTag(e, type, data.Length);
        e.Write(data);
        e.Write(new byte[(8 - data.Length % 8) % 8]);
        return e.ToArray();
    }

    static void WriteTag(Stream s, int type, int size)
    {
        var tag = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type);
        BinaryPrimitives.WriteInt32LittleEndian(tag.AsSpan(4), size);
        s.Write(tag);
    }

    public static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    // ---------- NPY ----------

    /// <summary>A .npy file in format version <paramref name="major"/> (1 or 2), header padded to 64 bytes as NumPy does.</summary>
    public static byte[] Npy(string descr, long[] shape, byte[] data, int major = 1, bool fortran = false)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shapeText}, }}";
        int preamble = major == 1 ? 10 : 12;
        int total = (preamble + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - preamble - 1) + "\n";
        var file = new MemoryStream();
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        file.Write(length);
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(data);
        return file.ToArray();
    }

    // ---------- tar.gz ----------

    public static byte[] TarGz(params (string Name, byte[] Data)[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return output.ToArray();
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
