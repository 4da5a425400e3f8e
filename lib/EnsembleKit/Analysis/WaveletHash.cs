namespace EnsembleKit.Analysis;

public static partial class ImageHashing
{
    /// <summary>
    /// wHash (Haar, imagehash defaults): resize to S × S grayscale, S = the largest power of two ≤ min(width, height) but at
    /// least HashSize (or <see cref="HashOptions.WaveletImageScale"/>); scale to [0, 1]; remove the lowest-frequency band
    /// (full-depth Haar decomposition, approximation zeroed, reconstructed); Haar-decompose log2(S / HashSize) levels; bit =
    /// approximation coefficient &gt; their median.
    /// </summary>
    public static ImageHash WaveletHash(HashImage image, HashOptions? options = null)
    {
        options ??= HashOptions.Default;
        options.Validate();
        int n = options.HashSize;
        if (!IsPowerOfTwo(n)) throw new ArgumentOutOfRangeException(nameof(options), $"the wavelet hash needs a power-of-two hash size; got {n}.");
        int scale = options.WaveletImageScale ?? Math.Max(1 << (int)Math.Floor(Math.Log2(Math.Min(image.Width, image.Height))), n);
        if (!IsPowerOfTwo(scale) || scale < n)
            throw new ArgumentOutOfRangeException(nameof(options), $"the wavelet image scale must be a power of two ≥ the hash size {n}; got {scale}.");
        int top = (int)Math.Round(Math.Log2(scale)), level = (int)Math.Round(Math.Log2(n));
        var px = PilResample.Resize(image.Luminance(), image.Width, image.Height, scale, scale);
        var x = new double[scale, scale];
        for (int r = 0; r < scale; r++)
            for (int c = 0; c < scale; c++)
                x[r, c] = px[r * scale + c] / 255.0;
        var full = Haar2D.Decompose(x, top);
        var withoutLowest = Haar2D.Reconstruct(full with { Approximation = new double[1, 1] });
        var low = Haar2D.Decompose(withoutLowest, top - level).Approximation;
        var values = new double[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                values[r * n + c] = low[r, c];
        double median = Median(values);
        return new ImageHash(values.Select(v => v > median).ToArray(), n, n);
    }

    static bool IsPowerOfTwo(int v) => v > 0 && (v & (v - 1)) == 0;
}
