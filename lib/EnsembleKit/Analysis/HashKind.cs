namespace EnsembleKit.Analysis;

/// <summary>The perceptual hashes S2 §7.3.1 uses (after the Python <c>imagehash</c> library).</summary>
public enum HashKind
{
    /// <summary>aHash: 8 × 8 grayscale, bit = pixel &gt; mean.</summary>
    Average,
    /// <summary>pHash: 32 × 32 grayscale, 2-D DCT-II, top-left 8 × 8, bit = coefficient &gt; median.</summary>
    Perceptual,
    /// <summary>dHash: 9 × 8 grayscale, bit = right neighbour &gt; pixel.</summary>
    Difference,
    /// <summary>wHash: Haar wavelets, lowest band removed, 8 × 8 approximation &gt; median.</summary>
    Wavelet,
    /// <summary>Colour hash: black/grey fractions and hue histograms of faint and bright colours, binBits bits each.</summary>
    Color,
}
