namespace EnsembleKit.Analysis;

public static partial class ImageHashing
{
    /// <summary>
    /// pHash: resize to (HashSize · HighFrequencyFactor)² grayscale; unnormalised DCT-II
    /// (<c>y_k = 2 Σ_n x_n cos(π k (2n + 1) / 2N)</c>, scipy.fftpack's default) along columns then rows; keep the top-left
    /// HashSize × HashSize block; bit = coefficient &gt; median of the block (the library's median, not S2's "mean").
    /// </summary>
    public static ImageHash PerceptualHash(HashImage image, HashOptions? options = null)
    {
        options ??= HashOptions.Default;
        options.Validate();
        int n = options.HashSize, size = n * options.HighFrequencyFactor;
        var px = PilResample.Resize(image.Luminance(), image.Width, image.Height, size, size);
        var cos = new double[n, size];
        for (int k = 0; k < n; k++)
            for (int i = 0; i < size; i++)
                cos[k, i] = Math.Cos(Math.PI * k * (2 * i + 1) / (2.0 * size));
        // along axis 0 (down each column), only the first n output rows are needed
        var rows = new double[n, size];
        for (int k = 0; k < n; k++)
            for (int c = 0; c < size; c++)
            {
                double s = 0;
                for (int r = 0; r < size; r++) s += px[r * size + c] * cos[k, r];
                rows[k, c] = 2 * s;
            }
        var block = new double[n * n];
        for (int k = 0; k < n; k++)
            for (int l = 0; l < n; l++)
            {
                double s = 0;
                for (int c = 0; c < size; c++) s += rows[k, c] * cos[l, c];
                block[k * n + l] = 2 * s;
            }
        double median = Median(block);
        return new ImageHash(block.Select(v => v > median).ToArray(), n, n);
    }

    /// <summary>numpy's median: the middle value, or the mean of the two middle values (<c>(a + b) / 2</c>).</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        int m = sorted.Length;
        return m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    }
}
