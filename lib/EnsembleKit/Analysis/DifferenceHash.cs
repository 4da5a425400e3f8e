namespace EnsembleKit.Analysis;

public static partial class ImageHashing
{
    /// <summary>
    /// dHash: resize to (HashSize + 1) wide × HashSize high grayscale; bit = pixel[r, c + 1] &gt; pixel[r, c]
    /// (the sign of the horizontal gradient, as the library computes it; S2's "compared to the mean difference" is not what it does).
    /// </summary>
    public static ImageHash DifferenceHash(HashImage image, HashOptions? options = null)
    {
        options ??= HashOptions.Default;
        options.Validate();
        int n = options.HashSize;
        var px = PilResample.Resize(image.Luminance(), image.Width, image.Height, n + 1, n);
        var bits = new bool[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                bits[r * n + c] = px[r * (n + 1) + c + 1] > px[r * (n + 1) + c];
        return new ImageHash(bits, n, n);
    }
}
