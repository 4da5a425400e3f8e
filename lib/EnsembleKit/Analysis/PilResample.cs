namespace EnsembleKit.Analysis;

/// <summary>
/// Pillow's LANCZOS (formerly ANTIALIAS) resize of an 8-bit grayscale image, reproduced bit for bit from
/// <c>libImaging/Resample.c</c>: separable, horizontal pass first into an 8-bit buffer, then vertical; support 3 scaled by
/// the reduction factor; coefficients normalised to sum 1 then quantised to 22-bit fixed point; each output rounded
/// (+ half) and clipped to [0, 255]. <c>imagehash</c> resizes with this before hashing.
/// </summary>
internal static class PilResample
{
    const int PrecisionBits = 32 - 8 - 2;
    const double Support = 3.0;

    static double Sinc(double x)
    {
        if (x == 0.0) return 1.0;
        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    static double Lanczos(double x) => -3.0 <= x && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;

    /// <summary>Per output index: first input index, count, and fixed-point weights (<c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c>).</summary>
    static (int[] Bounds, int[] Weights, int KernelSize) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize, filterScale = Math.Max(scale, 1.0);
        double support = Support * filterScale;
        int kernelSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[outSize * 2];
        var weights = new int[outSize * kernelSize];
        var k = new double[kernelSize];
        for (int xx = 0; xx < outSize; xx++)
        {
            double center = (xx + 0.5) * scale;
            double ww = 0.0, ss = 1.0 / filterScale;
            int xmin = (int)(center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int)(center + support + 0.5);
            if (xmax > inSize) xmax = inSize;
            xmax -= xmin;
            Array.Clear(k);
            for (int x = 0; x < xmax; x++)
            {
                double w = Lanczos((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++)
                if (ww != 0.0) k[x] /= ww;
            for (int x = 0; x < kernelSize; x++)
                weights[xx * kernelSize + x] = k[x] < 0
                    ? (int)(-0.5 + k[x] * (1 << PrecisionBits))
                    : (int)(0.5 + k[x] * (1 << PrecisionBits));
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return (bounds, weights, kernelSize);
    }

    static byte Clip8(int value)
    {
        int v = value >> PrecisionBits;
        return v < 0 ? (byte)0 : v > 255 ? (byte)255 : (byte)v;
    }

    /// <summary>Resizes <paramref name="pixels"/> (<paramref name="width"/> × <paramref name="height"/>, one byte each) to <paramref name="outWidth"/> × <paramref name="outHeight"/>.</summary>
    public static byte[] Resize(byte[] pixels, int width, int height, int outWidth, int outHeight)
    {
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentException($"resize target must be positive; got {outWidth} x {outHeight}.");
        if (width == outWidth && height == outHeight) return (byte[])pixels.Clone();
        bool horizontal = outWidth != width, vertical = outHeight != height;
        var (boundsV, weightsV, ksV) = Coefficients(height, outHeight);
        int firstRow = boundsV[0], lastRow = boundsV[outHeight * 2 - 2] + boundsV[outHeight * 2 - 1];
        byte[] source = pixels;
        int sourceWidth = width;
        if (horizontal)
        {
            var (boundsH, weightsH, ksH) = Coefficients(width, outWidth);
            for (int i = 0; i < outHeight; i++) boundsV[i * 2] -= firstRow;
            int rows = lastRow - firstRow;
            var temp = new byte[outWidth * rows];
            for (int yy = 0; yy < rows; yy++)
                for (int xx = 0; xx < outWidth; xx++)
                {
                    int xmin = boundsH[xx * 2], xmax = boundsH[xx * 2 + 1];
                    int ss = 1 << (PrecisionBits - 1);
                    for (int x = 0; x < xmax; x++)
                        ss += pixels[(yy + firstRow) * width + x + xmin] * weightsH[xx * ksH + x];
                    temp[yy * outWidth + xx] = Clip8(ss);
                }
            source = temp;
            sourceWidth = outWidth;
            if (!vertical) return temp;
        }
        var result = new byte[outWidth * outHeight];
        for (int yy = 0; yy < outHeight; yy++)
        {
            int ymin = boundsV[yy * 2], ymax = boundsV[yy * 2 + 1];
            for (int xx = 0; xx < sourceWidth; xx++)
            {
                int ss = 1 << (PrecisionBits - 1);
                for (int y = 0; y < ymax; y++)
                    ss += source[(y + ymin) * sourceWidth + xx] * weightsV[yy * ksV + y];
                result[yy * outWidth + xx] = Clip8(ss);
            }
        }
        return result;
    }
}
