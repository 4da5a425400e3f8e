using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// A NumPy array read from a <c>.npy</c> file: the dtype descriptor (e.g. <c>|u1</c>, <c>&lt;i8</c>),
/// the shape, and the raw little-endian C-order element bytes.
/// </summary>
public sealed record NpyArray(string Descr, long[] Shape, byte[] Data)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The array as a tensor of its own dtype (uint8, int8, int16, int32, int64, float32, float64) and shape.</summary>
    public Tensor ToTensor()
    {
        var span = Data.AsSpan();
        return NpyReader.ScalarTypeOf(Descr)!.Value switch
        {
            ScalarType.Byte => tensor(Data, Shape, ScalarType.Byte),
            ScalarType.Int8 => tensor(MemoryMarshal.Cast<byte, sbyte>(span).ToArray(), Shape),
            ScalarType.Int16 => tensor(MemoryMarshal.Cast<byte, short>(span).ToArray(), Shape),
            ScalarType.Int32 => tensor(MemoryMarshal.Cast<byte, int>(span).ToArray(), Shape),
            ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(span).ToArray(), Shape),
            ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(span).ToArray(), Shape),
            ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(span).ToArray(), Shape),
            var other => throw new InvalidDataException($"NumPy dtype '{Descr}' ({other}) is not supported."),
        };
    }

    /// <summary>Integer (or integral float) elements as int64 values, e.g. labels.</summary>
    public long[] ToInt64()
    {
        var result = new long[Count];
        int size = NpyReader.ItemSize(Descr);
        for (long i = 0; i < result.Length; i++)
        {
            var at = Data.AsSpan((int)(i * size), size);
            result[i] = Descr[1..] switch
            {
                "u1" => at[0],
                "i1" => (sbyte)at[0],
                "i2" => BinaryPrimitives.ReadInt16LittleEndian(at),
                "i4" => BinaryPrimitives.ReadInt32LittleEndian(at),
                "i8" => BinaryPrimitives.ReadInt64LittleEndian(at),
                "f4" => CheckedIntegral(BinaryPrimitives.ReadSingleLittleEndian(at), i),
                "f8" => CheckedIntegral(BinaryPrimitives.ReadDoubleLittleEndian(at), i),
                _ => throw new InvalidDataException($"NumPy dtype '{Descr}' cannot be read as integers."),
            };
        }
        return result;
    }

    static long CheckedIntegral(double value, long index) =>
        value == Math.Floor(value) && Math.Abs(value) < 9e15 ? (long)value
        : throw new InvalidDataException($"element {index} is {value}, not an integer.");
}

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0): the magic <c>\x93NUMPY</c>, the
/// version, the header length (2 bytes in v1, 4 in v2/v3), a Python dict literal with <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, then the data. Supported: little-endian (or byte-sized)
/// integer and float dtypes in C order. Errors name the file and what was found.
/// </summary>
public static partial class NpyReader
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($".npy file not found: {path}", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses <c>.npy</c> bytes; <paramref name="source"/> names them in errors.</summary>
    public static NpyArray Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a .npy file (it does not start with the magic \\x93NUMPY).");
        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
                headerStart = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12) throw new InvalidDataException($"{source}: truncated .npy v{major} preamble ({bytes.Length} bytes).");
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
                if (length > int.MaxValue) throw new InvalidDataException($"{source}: header length {length} is implausible.");
                headerLength = (int)length;
                headerStart = 12;
                break;
            default:
                throw new InvalidDataException($"{source}: .npy format version {major}.{bytes[7]} is not supported (1.0, 2.0 and 3.0 are).");
        }
        if (headerStart + (long)headerLength > bytes.Length)
            throw new InvalidDataException($"{source}: header claims {headerLength} bytes but the file has only {bytes.Length - headerStart} after the preamble.");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, headerStart, headerLength);

        var descr = DescrPattern().Match(header) is { Success: true } d ? d.Groups[1].Value
            : throw new InvalidDataException($"{source}: header has no 'descr': {header.Trim()}");
        var fortran = FortranPattern().Match(header) is { Success: true } f ? f.Groups[1].Value == "True"
            : throw new InvalidDataException($"{source}: header has no 'fortran_order': {header.Trim()}");
        var shapeText = ShapePattern().Match(header) is { Success: true } s ? s.Groups[1].Value
            : throw new InvalidDataException($"{source}: header has no 'shape': {header.Trim()}");
        if (fortran) throw new InvalidDataException($"{source}: Fortran-order arrays are not supported; save with C order (np.ascontiguousarray).");
        if (ScalarTypeOf(descr) is null)
            throw new InvalidDataException($"{source}: dtype '{descr}' is not supported; use little-endian u1, i1, i2, i4, i8, f4 or f8.");
        long[] shape;
        try
        {
            shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => long.Parse(t.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{source}: shape '({shapeText})' is not a tuple of non-negative integers.");
        }

        long count = shape.Aggregate(1L, (a, b) => a * b);
        long expected = count * ItemSize(descr);
        long actual = bytes.Length - headerStart - headerLength;
        if (actual != expected)
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", shape)}) of '{descr}' needs {expected:N0} data bytes (file size {headerStart + headerLength + expected:N0}), " +
                $"found {actual:N0} (file size {bytes.Length:N0}); the file is {(actual < expected ? "truncated" : "too long")}.");
        return new NpyArray(descr, shape, bytes[(headerStart + headerLength)..]);
    }

    internal static ScalarType? ScalarTypeOf(string descr) => descr switch
    {
        "|u1" or "<u1" => ScalarType.Byte,
        "|i1" or "<i1" => ScalarType.Int8,
        "<i2" => ScalarType.Int16,
        "<i4" => ScalarType.Int32,
        "<i8" => ScalarType.Int64,
        "<f4" => ScalarType.Float32,
        "<f8" => ScalarType.Float64,
        _ => null,
    };

    internal static int ItemSize(string descr) => int.Parse(descr[2..], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
