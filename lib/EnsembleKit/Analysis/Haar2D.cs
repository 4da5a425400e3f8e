namespace EnsembleKit.Analysis;

/// <summary>
/// 2-D Haar wavelet decomposition and reconstruction of a square power-of-two array, reproducing PyWavelets'
/// <c>wavedec2</c>/<c>waverec2</c> (mode "symmetric", which never pads even lengths) operation for operation, so that
/// floating-point ties in the wavelet hash fall the same way: each level transforms along rows (axis 0) then columns
/// (axis 1), <c>a = h·x₁ + h·x₀</c>, <c>d = h·x₀ − h·x₁</c> with <c>h = 0.7071067811865476</c>.
/// </summary>
internal static class Haar2D
{
    const double H = 0.7071067811865476;

    /// <summary>Levels of one decomposition: the approximation and the (da, ad, dd) detail bands, finest last.</summary>
    public sealed record Decomposition(double[,] Approximation, List<(double[,] Da, double[,] Ad, double[,] Dd)> Details);

    public static Decomposition Decompose(double[,] x, int levels)
    {
        var details = new List<(double[,], double[,], double[,])>();
        var a = x;
        for (int l = 0; l < levels; l++)
        {
            var (aa, da, ad, dd) = Step(a);
            details.Insert(0, (da, ad, dd));
            a = aa;
        }
        return new Decomposition(a, details);
    }

    static (double[,] Aa, double[,] Da, double[,] Ad, double[,] Dd) Step(double[,] x)
    {
        int n = x.GetLength(0), m = x.GetLength(1);
        if (n % 2 != 0 || m % 2 != 0) throw new InvalidOperationException($"Haar step needs even sizes; got {n} x {m}.");
        // axis 0
        var a = new double[n / 2, m];
        var d = new double[n / 2, m];
        for (int i = 0; i < n / 2; i++)
            for (int j = 0; j < m; j++)
            {
                double x0 = x[2 * i, j], x1 = x[2 * i + 1, j];
                a[i, j] = x1 * H + x0 * H;
                d[i, j] = x1 * -H + x0 * H;
            }
        var (aa, ad) = Columns(a);
        var (da, dd) = Columns(d);
        return (aa, da, ad, dd);
    }

    static (double[,] A, double[,] D) Columns(double[,] x)
    {
        int n = x.GetLength(0), m = x.GetLength(1);
        var a = new double[n, m / 2];
        var d = new double[n, m / 2];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m / 2; j++)
            {
                double x0 = x[i, 2 * j], x1 = x[i, 2 * j + 1];
                a[i, j] = x1 * H + x0 * H;
                d[i, j] = x1 * -H + x0 * H;
            }
        return (a, d);
    }

    public static double[,] Reconstruct(Decomposition c)
    {
        var a = c.Approximation;
        foreach (var (da, ad, dd) in c.Details)
        {
            var rowA = InverseColumns(a, ad);
            var rowD = InverseColumns(da, dd);
            a = InverseRows(rowA, rowD);
        }
        return a;
    }

    static double[,] InverseColumns(double[,] a, double[,] d)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var x = new double[n, 2 * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                x[i, 2 * j] = H * a[i, j] + H * d[i, j];
                x[i, 2 * j + 1] = H * a[i, j] + -H * d[i, j];
            }
        return x;
    }

    static double[,] InverseRows(double[,] a, double[,] d)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var x = new double[2 * n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                x[2 * i, j] = H * a[i, j] + H * d[i, j];
                x[2 * i + 1, j] = H * a[i, j] + -H * d[i, j];
            }
        return x;
    }
}
