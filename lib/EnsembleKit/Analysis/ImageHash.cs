using System.Text;

namespace EnsembleKit.Analysis;

/// <summary>
/// A perceptual hash: <see cref="Rows"/> × <see cref="Columns"/> bits, row-major (8 × 8 = 64 bits for the
/// average/perceptual/difference/wavelet hashes; 14 × binBits for the colour hash). Two hashes of the same kind and
/// size are compared by <see cref="Distance"/>, the Hamming distance.
/// </summary>
public sealed class ImageHash : IEquatable<ImageHash>
{
    readonly bool[] _bits;
    public int Rows { get; }
    public int Columns { get; }

    public ImageHash(bool[] bits, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || bits.Length != rows * columns)
            throw new ArgumentException($"a {rows} x {columns} hash has {rows * columns} bits; got {bits.Length}.", nameof(bits));
        _bits = (bool[])bits.Clone();
        Rows = rows;
        Columns = columns;
    }

    public int Length => _bits.Length;
    public bool this[int index] => _bits[index];
    public IReadOnlyList<bool> Bits => _bits;

    /// <summary>Number of positions at which the two hashes differ (imagehash's <c>hash1 - hash2</c>).</summary>
    public int Distance(ImageHash other)
    {
        if (other.Length != Length)
            throw new ArgumentException($"hashes of different lengths cannot be compared: {Length} vs {other.Length} bits.", nameof(other));
        int d = 0;
        for (int i = 0; i < _bits.Length; i++) if (_bits[i] != other._bits[i]) d++;
        return d;
    }

    /// <summary>Hexadecimal as imagehash prints it: the bits as one binary number, most significant first, ⌈bits/4⌉ digits.</summary>
    public string ToHex()
    {
        int pad = (4 - _bits.Length % 4) % 4;
        var sb = new StringBuilder();
        int nibble = 0, count = pad;
        foreach (var bit in _bits)
        {
            nibble = (nibble << 1) | (bit ? 1 : 0);
            if (++count == 4)
            {
                sb.Append("0123456789abcdef"[nibble]);
                nibble = 0;
                count = 0;
            }
        }
        return sb.ToString();
    }

    public bool Equals(ImageHash? other) => other is not null && other.Rows == Rows && other.Columns == Columns && other._bits.AsSpan().SequenceEqual(_bits);
    public override bool Equals(object? obj) => Equals(obj as ImageHash);
    public override int GetHashCode() => HashCode.Combine(Rows, Columns, ToHex());
    public override string ToString() => ToHex();
}
