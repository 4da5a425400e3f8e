namespace EnsembleKit.Analysis;

/// <summary>Parameters of the perceptual hashes; the defaults are imagehash's and S2's (64-bit hashes; 42-bit colour hash).</summary>
public sealed record HashOptions
{
    /// <summary>Side of the bit grid (8 → 64 bits). Must be a power of two for the wavelet hash.</summary>
    public int HashSize { get; init; } = 8;
    /// <summary>pHash resizes to HashSize × this before the DCT (imagehash's <c>highfreq_factor</c>).</summary>
    public int HighFrequencyFactor { get; init; } = 4;
    /// <summary>wHash working size (a power of two); null: the largest power of two ≤ min(width, height), at least HashSize.</summary>
    public int? WaveletImageScale { get; init; }
    /// <summary>Bits per fraction in the colour hash (14 fractions).</summary>
    public int ColorBinBits { get; init; } = 3;

    public static HashOptions Default { get; } = new();

    internal void Validate()
    {
        if (HashSize < 2) throw new ArgumentOutOfRangeException(nameof(HashSize), $"hash size must be at least 2; got {HashSize}.");
        if (HighFrequencyFactor < 1) throw new ArgumentOutOfRangeException(nameof(HighFrequencyFactor), $"high-frequency factor must be at least 1; got {HighFrequencyFactor}.");
        if (ColorBinBits is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(ColorBinBits), $"colour bin bits must be in [1, 16]; got {ColorBinBits}.");
    }
}
