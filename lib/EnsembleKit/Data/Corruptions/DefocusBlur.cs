using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>defocus_blur</c>: correlation (OpenCV <c>filter2D</c>, reflect-101 borders) with the recipe's <c>disk(radius,
/// alias_blur)</c>: the pixels of a 17x17 grid within <c>radius</c> of the centre, normalised, smoothed by a 3x3
/// Gaussian of sigma <c>alias_blur</c>. (radius, alias_blur) = (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)
/// (make_cifar_c.py's table). Deterministic.
/// </summary>
public sealed class DefocusBlur : Corruption
{
    static readonly (double Radius, double AliasBlur)[] Constants = [(0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1)];

    public override string Name => "defocus_blur";
    public override CorruptionFamily Family => CorruptionFamily.Blur;
    public override bool IsRandom => false;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        var (radius, aliasBlur) = Pick(Constants, severity);
        return CorruptionOps.Filter2D(images, Disk(radius, aliasBlur), BorderMode.Reflect101);
    }

    /// <summary>
    /// The recipe's <c>disk</c> for radius at most 8, cut to its non-zero centre (the zeros of the 17x17 grid add
    /// nothing to the correlation): at most 5x5 for the radii used here.
    /// </summary>
    internal static double[,] Disk(double radius, double aliasBlur)
    {
        const int L = 8, size = 2 * L + 1;
        var disk = new double[size, size];
        double count = 0;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                if ((i - L) * (i - L) + (j - L) * (j - L) <= radius * radius) { disk[i, j] = 1; count++; }
        // cv2.getGaussianKernel(3, sigma): exp(-(i - 1)^2 / 2 sigma^2), normalised.
        var g = new[] { Math.Exp(-1 / (2 * aliasBlur * aliasBlur)), 1.0, Math.Exp(-1 / (2 * aliasBlur * aliasBlur)) };
        double gs = g.Sum();
        for (int i = 0; i < 3; i++) g[i] /= gs;
        var blurred = new double[size, size];
        for (int i = 1; i < size - 1; i++)
            for (int j = 1; j < size - 1; j++)
                for (int a = -1; a <= 1; a++)
                    for (int b = -1; b <= 1; b++)
                        blurred[i, j] += g[a + 1] * g[b + 1] * disk[i + a, j + b] / count;
        int r = (int)Math.Floor(radius) + 1;
        var kernel = new double[2 * r + 1, 2 * r + 1];
        for (int i = 0; i <= 2 * r; i++)
            for (int j = 0; j <= 2 * r; j++)
                kernel[i, j] = blurred[L - r + i, L - r + j];
        return kernel;
    }
}
