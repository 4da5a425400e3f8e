using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// <c>elastic_transform</c>: a random affine warp (OpenCV <c>getAffineTransform</c> + <c>warpAffine</c>, bilinear,
/// reflect-101 borders) moving three points by up to <c>c2</c> pixels, then a smooth displacement field (uniform noise
/// smoothed by a Gaussian of sigma <c>c1</c>, skimage mode 'reflect', truncate 3, times <c>c0</c>) applied with scipy's
/// <c>map_coordinates(order=1, mode='reflect')</c>. (c0, c1, c2) = S (0, 0, 0.08), S (0.05, 0.2, 0.07), S (0.08, 0.06, 0.06),
/// S (0.1, 0.04, 0.05), S (0.1, 0.03, 0.03) with S the image side (32 in make_cifar_c.py's table; 28 for Fashion-MNIST).
/// Interpolation is exact bilinear (OpenCV rounds warp coordinates to 1/32 pixel).
/// </summary>
public sealed class ElasticTransform : Corruption
{
    static readonly (double Alpha, double Sigma, double Affine)[] Constants =
        [(0, 0, 0.08), (0.05, 0.2, 0.07), (0.08, 0.06, 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03)];

    public override string Name => "elastic_transform";
    public override CorruptionFamily Family => CorruptionFamily.Digital;
    public override bool IsRandom => true;

    protected override Tensor Corrupt(Tensor images, int severity, Generator generator)
    {
        long n = images.shape[0], h = images.shape[2], w = images.shape[3];
        double side = h;
        var k = Pick(Constants, severity);
        double alpha = k.Alpha * side, sigma = k.Sigma * side, affine = k.Affine * side;

        // Random affine: the recipe's three points (x, y) and their moved copies.
        double centre = Math.Floor(side / 2), square = Math.Floor(Math.Min(h, w) / 3.0);
        double[,] from = { { centre + square, centre + square }, { centre + square, centre - square }, { centre - square, centre - square } };
        using Scalar moveRange = 2 * affine, moveOffset = affine;
        var moves = rand([n, 3, 2], dtype: ScalarType.Float64, generator: generator).mul(moveRange).sub(moveOffset).to(ScalarType.Float32).to(ScalarType.Float64);
        var move = moves.data<double>().ToArray();
        var inverse = new double[n * 6];
        for (long i = 0; i < n; i++)
        {
            var to = new double[3, 2];
            for (int p = 0; p < 3; p++)
                for (int q = 0; q < 2; q++)
                    to[p, q] = (float)(from[p, q] + move[i * 6 + p * 2 + q]);
            // warpAffine samples the source at M^-1 (x, y): the affine map taking the moved points back.
            var m = AffineThrough(to, from);
            Array.Copy(m, 0, inverse, i * 6, 6);
        }
        var a = tensor(inverse, new long[] { n, 6, 1, 1 });
        using Scalar rowCount = h, colCount = w;
        var ys = arange(rowCount, dtype: ScalarType.Float64).reshape(1, h, 1).expand(n, h, w);
        var xs = arange(colCount, dtype: ScalarType.Float64).reshape(1, 1, w).expand(n, h, w);
        var srcX = a[.., 0] * xs + a[.., 1] * ys + a[.., 2];
        var srcY = a[.., 3] * xs + a[.., 4] * ys + a[.., 5];
        var warped = CorruptionOps.Bilinear(images, srcY, srcX, BorderMode.Reflect101);

        // Smooth displacement field, dx then dy as drawn by the recipe.
        var dx = Displacement(n, h, w, sigma, alpha, generator);
        var dy = Displacement(n, h, w, sigma, alpha, generator);
        return CorruptionOps.Bilinear(warped, ys + dy, xs + dx, BorderMode.Symmetric);
    }

    static Tensor Displacement(long n, long h, long w, double sigma, double alpha, Generator generator)
    {
        // Smoothed in float32 (libtorch's float64 convolution is ten times slower); the recipe keeps the field in float32 too.
        using Scalar two = 2, one = 1, scale = (float)alpha;
        var noise = rand([n, 1, h, w], dtype: ScalarType.Float64, generator: generator).mul(two).sub(one).to(ScalarType.Float32);
        var smooth = CorruptionOps.Gaussian(noise, sigma, BorderMode.Symmetric, truncate: 3);
        return smooth.mul(scale).to(ScalarType.Float64).squeeze(1);
    }

    /// <summary>The affine map [a b c; d e f] (row-major, 6 values) taking the three points <paramref name="p"/> to <paramref name="q"/>.</summary>
    internal static double[] AffineThrough(double[,] p, double[,] q)
    {
        // Solve [x y 1] rows for each output coordinate by Cramer's rule.
        double det = p[0, 0] * (p[1, 1] - p[2, 1]) - p[0, 1] * (p[1, 0] - p[2, 0]) + (p[1, 0] * p[2, 1] - p[2, 0] * p[1, 1]);
        var result = new double[6];
        for (int k = 0; k < 2; k++)
        {
            double v0 = q[0, k], v1 = q[1, k], v2 = q[2, k];
            double da = v0 * (p[1, 1] - p[2, 1]) - p[0, 1] * (v1 - v2) + (v1 * p[2, 1] - v2 * p[1, 1]);
            double db = p[0, 0] * (v1 - v2) - v0 * (p[1, 0] - p[2, 0]) + (p[1, 0] * v2 - p[2, 0] * v1);
            double dc = p[0, 0] * (p[1, 1] * v2 - p[2, 1] * v1) - p[0, 1] * (p[1, 0] * v2 - p[2, 0] * v1) + v0 * (p[1, 0] * p[2, 1] - p[2, 0] * p[1, 1]);
            result[3 * k] = da / det;
            result[3 * k + 1] = db / det;
            result[3 * k + 2] = dc / det;
        }
        return result;
    }
}
