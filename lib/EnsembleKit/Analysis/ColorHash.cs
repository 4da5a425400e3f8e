namespace EnsembleKit.Analysis;

public static partial class ImageHashing
{
    /// <summary>
    /// Colour hash (imagehash's <c>colorhash</c>): from the grayscale intensity and Pillow's HSV bytes, the fraction of black
    /// pixels (intensity &lt; 32), of grey pixels (saturation &lt; 85, not black), and 6-bin hue histograms (edges 0, 42.5, …, 255)
    /// of faint (85 ≤ s &lt; 170) and bright (s &gt; 170) coloured pixels as fractions of the coloured ones: 14 values, each
    /// quantised to ColorBinBits bits with the library's own bit pattern (bit i = <c>v / 2^(b−i−1) mod 2^(b−i) &gt; 0</c>).
    /// 42 bits by default, not 64 as S2 says. Grayscale images have no colour (S = 0). Pixels with s = 170 exactly are in
    /// neither colour bin, as in the library.
    /// </summary>
    public static ImageHash ColorHash(HashImage image, HashOptions? options = null)
    {
        options ??= HashOptions.Default;
        options.Validate();
        int bits = options.ColorBinBits, top = 1 << bits;
        var lum = image.Luminance();
        var hsv = image.Hsv();
        int count = lum.Length, black = 0, grey = 0, colours = 0;
        var faint = new long[6];
        var bright = new long[6];
        for (int i = 0; i < count; i++)
        {
            bool isBlack = lum[i] < 256 / 8, isGrey = hsv[3 * i + 1] < 256 / 3;
            if (isBlack) black++;
            if (!isBlack && isGrey) grey++;
            if (isBlack || isGrey) continue;
            colours++;
            int s = hsv[3 * i + 1], bin = Math.Min(5, hsv[3 * i] * 6 / 255); // h in [42.5 i, 42.5 (i + 1)), last bin closed
            if (s < 256 * 2 / 3) faint[bin]++;
            else if (s > 256 * 2 / 3) bright[bin]++;
        }
        int denominator = Math.Max(1, colours);
        var values = new List<int>
        {
            Math.Min(top - 1, (int)((double)black / count * top)),
            Math.Min(top - 1, (int)((double)grey / count * top)),
        };
        foreach (var c in faint.Concat(bright))
            values.Add(Math.Min(top - 1, (int)((double)c / denominator * top)));
        var result = new List<bool>();
        foreach (var v in values)
            for (int i = 0; i < bits; i++)
                result.Add(v / (1 << (bits - i - 1)) % (1 << (bits - i)) > 0);
        return new ImageHash(result.ToArray(), values.Count, bits);
    }
}
