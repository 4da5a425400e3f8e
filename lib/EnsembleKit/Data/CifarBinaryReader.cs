namespace EnsembleKit.Data;

/// <summary>
/// Records read from a CIFAR binary batch file: <see cref="Pixels"/> holds <c>Count * 3072</c> bytes,
/// each image as its R, G and B planes of 32x32 in raster order (so it reshapes to <c>[N, 3, 32, 32]</c>);
/// <see cref="Labels"/> holds one label a record (CIFAR-10's label, CIFAR-100's fine label) and
/// <see cref="CoarseLabels"/> CIFAR-100's coarse label (null for CIFAR-10).
/// </summary>
public sealed record CifarRecords(int Count, byte[] Pixels, byte[] Labels, byte[]? CoarseLabels);

/// <summary>
/// Reads the CIFAR binary layout: fixed-size records of label byte(s) followed by 3072 pixel bytes.
/// CIFAR-10 records have one label byte (3073 bytes a record); CIFAR-100 records have two, coarse then
/// fine (3074 bytes). The file length must be a whole number of records and every label in range;
/// errors name the file, the sizes and the record.
/// </summary>
public static class CifarBinaryReader
{
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Reads a CIFAR-10 batch (e.g. <c>data_batch_1.bin</c>): labels 0-9.</summary>
    public static CifarRecords ReadCifar10(string path) => Read(path, labelBytes: 1, fineClasses: 10, coarseClasses: 0);

    /// <summary>Reads a CIFAR-100 file (<c>train.bin</c>, <c>test.bin</c>): coarse labels 0-19, fine labels 0-99.</summary>
    public static CifarRecords ReadCifar100(string path) => Read(path, labelBytes: 2, fineClasses: 100, coarseClasses: 20);

    static CifarRecords Read(string path, int labelBytes, int fineClasses, int coarseClasses)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR binary file not found: {path}", path);
        return Parse(File.ReadAllBytes(path), path, labelBytes, fineClasses, coarseClasses);
    }

    /// <summary>Parses records from bytes; <paramref name="source"/> names them in errors.</summary>
    public static CifarRecords Parse(byte[] bytes, string source, int labelBytes, int fineClasses, int coarseClasses)
    {
        if (labelBytes is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(labelBytes), $"CIFAR records have 1 or 2 label bytes; got {labelBytes}.");
        int recordBytes = labelBytes + ImageBytes;
        string kind = labelBytes == 1 ? "CIFAR-10" : "CIFAR-100";
        if (bytes.Length == 0 || bytes.Length % recordBytes != 0)
            throw new InvalidDataException(
                $"{source}: file size {bytes.Length:N0} bytes is not a positive multiple of the {kind} record size {recordBytes} " +
                $"({labelBytes} label byte{(labelBytes == 1 ? "" : "s")} + {ImageBytes} pixel bytes): {bytes.Length / recordBytes:N0} whole records " +
                $"and {bytes.Length % recordBytes:N0} bytes left over; the file is truncated or not a {kind} binary batch.");
        int count = bytes.Length / recordBytes;
        var pixels = new byte[(long)count * ImageBytes];
        var labels = new byte[count];
        var coarse = labelBytes == 2 ? new byte[count] : null;
        for (int i = 0; i < count; i++)
        {
            int at = i * recordBytes;
            if (coarse is not null)
            {
                coarse[i] = bytes[at];
                if (coarse[i] >= coarseClasses)
                    throw new InvalidDataException($"{source}: record {i} (byte {at}) has coarse label {coarse[i]}; expected 0 to {coarseClasses - 1}.");
            }
            labels[i] = bytes[at + labelBytes - 1];
            if (labels[i] >= fineClasses)
                throw new InvalidDataException($"{source}: record {i} (byte {at + labelBytes - 1}) has label {labels[i]}; expected 0 to {fineClasses - 1}. Is this a {kind} file?");
            Buffer.BlockCopy(bytes, at + labelBytes, pixels, i * ImageBytes, ImageBytes);
        }
        return new CifarRecords(count, pixels, labels, coarse);
    }
}
