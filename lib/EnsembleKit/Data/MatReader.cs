using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace EnsembleKit.Data;

/// <summary>
/// One numeric MATLAB variable: its name, MATLAB class (e.g. 6 = double, 9 = uint8), dimensions
/// (column-major, as MATLAB states them) and the real part's raw little-endian bytes in the storage type
/// the file uses (MATLAB may store a double array as uint8 when its values fit).
/// </summary>
public sealed record MatArray(string Name, int ClassId, int[] Dimensions, int StorageType, byte[] Data)
{
    public long Count => Dimensions.Aggregate(1L, (a, b) => a * b);

    /// <summary>The elements (column-major) as bytes; every value must be an integer in 0..255.</summary>
    public byte[] ToBytes()
    {
        if (StorageType == MatReader.MiUInt8) return Data;
        var values = ToDoubles();
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
            bytes[i] = values[i] is >= 0 and <= 255 && values[i] == Math.Floor(values[i]) ? (byte)values[i]
                : throw new InvalidDataException($"MAT variable '{Name}': element {i} is {values[i]}, not a byte value.");
        return bytes;
    }

    /// <summary>The elements (column-major) converted to double, whatever the storage type.</summary>
    public double[] ToDoubles()
    {
        int size = MatReader.SizeOf(StorageType);
        var result = new double[Data.Length / size];
        var span = Data.AsSpan();
        for (int i = 0; i < result.Length; i++)
        {
            var at = span.Slice(i * size, size);
            result[i] = StorageType switch
            {
                MatReader.MiInt8 => (sbyte)at[0],
                MatReader.MiUInt8 => at[0],
                MatReader.MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(at),
                MatReader.MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(at),
                MatReader.MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(at),
                MatReader.MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(at),
                MatReader.MiSingle => BinaryPrimitives.ReadSingleLittleEndian(at),
                MatReader.MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(at),
                MatReader.MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(at),
                MatReader.MiUInt64 => BinaryPrimitives.ReadUInt64LittleEndian(at),
                _ => throw new InvalidDataException($"MAT variable '{Name}': storage type {StorageType} is not numeric."),
            };
        }
        return result;
    }
}

/// <summary>
/// A minimal reader of MATLAB level-5 MAT-files (what <c>save</c> writes by default up to -v7): the 128-byte
/// header, then data elements, each either plain or <c>miCOMPRESSED</c> (zlib) around an <c>miMATRIX</c>
/// with array flags, dimensions, name and real part. It returns the real, dense numeric variables; cells,
/// structs, character, sparse and complex arrays are skipped. Little-endian files only; v7.3 (HDF5)
/// files get an error that says so. Errors name the file, the byte offset and what was found.
/// </summary>
public static class MatReader
{
    internal const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6,
        MiSingle = 7, MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15;
    const int HeaderBytes = 128;
    const int ComplexFlag = 0x0800;

    public static IReadOnlyDictionary<string, MatArray> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"MAT-file not found: {path}", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses MAT-file bytes; <paramref name="source"/> names them in errors.</summary>
    public static IReadOnlyDictionary<string, MatArray> Parse(byte[] bytes, string source)
    {
        if (bytes.Length < HeaderBytes)
            throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short for a MAT-file (the header alone is {HeaderBytes}).");
        var text = Encoding.ASCII.GetString(bytes, 0, 116).TrimEnd('\0', ' ');
        if (bytes.AsSpan(0, 8).SequenceEqual("\x89HDF\r\n\x1a\n"u8) || text.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
            throw new InvalidDataException($"{source}: a MATLAB v7.3 (HDF5) file; only level-5 MAT-files (save -v7 or older) are supported.");
        if (!text.StartsWith("MATLAB 5.0 MAT-file", StringComparison.Ordinal))
            throw new InvalidDataException($"{source}: not a MATLAB level-5 MAT-file (the header text does not start with 'MATLAB 5.0 MAT-file').");
        if (bytes[126] == 'M' && bytes[127] == 'I')
            throw new InvalidDataException($"{source}: a big-endian MAT-file; only little-endian files are supported.");
        if (bytes[126] != 'I' || bytes[127] != 'M')
            throw new InvalidDataException($"{source}: bad endian indicator 0x{bytes[126]:x2}{bytes[127]:x2} at byte 126 (expected 'IM').");

        var variables = new Dictionary<string, MatArray>();
        int offset = HeaderBytes;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8) break; // trailing padding
            var (type, dataStart, dataLength, next) = ReadElement(bytes, offset, source, padCompressed: false);
            if (type == MiCompressed)
            {
                byte[] inflated;
                try
                {
                    using var zlib = new ZLibStream(new MemoryStream(bytes, dataStart, dataLength, writable: false), CompressionMode.Decompress);
                    using var output = new MemoryStream();
                    zlib.CopyTo(output);
                    inflated = output.ToArray();
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{source}: the compressed element at byte {offset} is corrupt ({e.Message}).", e);
                }
                var where = $"{source} (compressed element at byte {offset})";
                var (innerType, innerStart, innerLength, _) = ReadElement(inflated, 0, where, padCompressed: true);
                if (innerType == MiMatrix && ParseMatrix(inflated, innerStart, innerLength, where) is { } array) variables[array.Name] = array;
            }
            else if (type == MiMatrix && ParseMatrix(bytes, dataStart, dataLength, $"{source} (element at byte {offset})") is { } array)
            {
                variables[array.Name] = array;
            }
            offset = next;
        }
        return variables;
    }

    /// <summary>Reads the tag at <paramref name="offset"/>: the element type, where its data starts, its length, and where the next element starts.</summary>
    static (int Type, int Start, int Length, int Next) ReadElement(byte[] bytes, int offset, string source, bool padCompressed)
    {
        if (bytes.Length - offset < 8)
            throw new InvalidDataException($"{source}: truncated data element tag at byte {offset} (file length {bytes.Length}).");
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
        if (first >> 16 != 0)
        {
            // small data element: type and size in one word, up to 4 bytes of data in the next
            int smallSize = (int)(first >> 16);
            if (smallSize > 4) throw new InvalidDataException($"{source}: small data element at byte {offset} claims {smallSize} bytes (at most 4).");
            return ((int)(first & 0xFFFF), offset + 4, smallSize, offset + 8);
        }
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
        if (offset + 8L + size > bytes.Length)
            throw new InvalidDataException($"{source}: data element at byte {offset} (type {first}) claims {size:N0} bytes but only {bytes.Length - offset - 8:N0} remain; the file is truncated.");
        int start = offset + 8;
        bool pad = first != MiCompressed || padCompressed;
        int next = pad ? (int)Math.Min(bytes.Length, start + ((size + 7L) & ~7L)) : start + (int)size;
        return ((int)first, start, (int)size, next);
    }

    static MatArray? ParseMatrix(byte[] bytes, int start, int length, string source)
    {
        if (length == 0) return null; // empty matrix
        int end = start + length;
        var (flagsType, flagsStart, flagsLength, afterFlags) = ReadElement(bytes, start, source, padCompressed: true);
        if (flagsType != MiUInt32 || flagsLength < 8)
            throw new InvalidDataException($"{source}: miMATRIX at byte {start} does not start with array flags (found element type {flagsType}).");
        uint flagWord = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(flagsStart));
        int classId = (int)(flagWord & 0xFF);
        bool complex = (flagWord & ComplexFlag) != 0;

        var (dimsType, dimsStart, dimsLength, afterDims) = ReadElement(bytes, afterFlags, source, padCompressed: true);
        if (dimsType != MiInt32) throw new InvalidDataException($"{source}: miMATRIX at byte {start}: dimensions have element type {dimsType}, expected miINT32 (5).");
        var dims = new int[dimsLength / 4];
        for (int i = 0; i < dims.Length; i++) dims[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(dimsStart + 4 * i));

        var (nameType, nameStart, nameLength, afterName) = ReadElement(bytes, afterDims, source, padCompressed: true);
        if (nameType is not (MiInt8 or MiUInt8)) throw new InvalidDataException($"{source}: miMATRIX at byte {start}: array name has element type {nameType}, expected miINT8 (1).");
        var name = Encoding.ASCII.GetString(bytes, nameStart, nameLength);

        if (classId is < 6 or > 15 || complex) return null; // cell, struct, object, char, sparse or complex: not needed here
        if (afterName >= end) throw new InvalidDataException($"{source}: numeric variable '{name}' has no real part.");
        var (realType, realStart, realLength, _) = ReadElement(bytes, afterName, source, padCompressed: true);
        int size = SizeOf(realType);
        if (size == 0) throw new InvalidDataException($"{source}: variable '{name}': real part has element type {realType}, which is not numeric.");
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (realLength != count * size)
            throw new InvalidDataException($"{source}: variable '{name}' has dimensions [{string.Join(", ", dims)}] ({count:N0} elements of {size} bytes) but its real part holds {realLength:N0} bytes.");
        return new MatArray(name, classId, dims, realType, bytes.AsSpan(realStart, realLength).ToArray());
    }

    internal static int SizeOf(int type) => type switch
    {
        MiInt8 or MiUInt8 => 1,
        MiInt16 or MiUInt16 => 2,
        MiInt32 or MiUInt32 or MiSingle => 4,
        MiDouble or MiInt64 or MiUInt64 => 8,
        _ => 0,
    };
}
