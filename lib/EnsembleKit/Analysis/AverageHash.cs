namespace EnsembleKit.Analysis;

/// <summary>
/// Perceptual image hashes as S2 §7.3.1 uses them, reproducing the Python <c>imagehash</c> library (J. Buchner, v4.3) bit for
/// bit on 8-bit images: Pillow's grayscale conversion and LANCZOS resize, scipy's unnormalised DCT-II, PyWavelets' Haar
/// transform, numpy's mean/median thresholds (see seed-spec §2, "Perceptual hashing — exact algorithms"). Checked against
/// hashes computed with Pillow/scipy/pywt in tests/reference/image_hash_reference.py. The one known source of divergence is a
/// DCT coefficient lying within rounding error (~1e-12) of the pHash median, where an FFT-based and a direct DCT may differ.
/// </summary>
public static partial class ImageHashing
{
    /// <summary>aHash: resize to HashSize × HashSize grayscale; bit = pixel &gt; mean of the pixels.</summary>
    public static ImageHash AverageHash(HashImage image, HashOptions? options = null)
    {
        options ??= HashOptions.Default;
        options.Validate();
        int n = options.HashSize;
        var px = PilResample.Resize(image.Luminance(), image.Width, image.Height, n, n);
        double mean = px.Sum(p => (double)p) / px.Length;
        return new ImageHash(px.Select(p => p > mean).ToArray(), n, n);
    }
}
