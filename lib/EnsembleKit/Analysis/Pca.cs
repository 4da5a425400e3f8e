namespace EnsembleKit.Analysis;

/// <summary>
/// Leading principal-component scores of a point set, for t-SNE's PCA initialisation. Orthogonal (subspace)
/// iteration on the centred data, applied implicitly (no copy, no D×D covariance, so D can be 10⁵ flattened
/// predictions), then a Rayleigh-Ritz step; signs fixed as scikit-learn's <c>svd_flip</c> (largest |u| positive).
/// </summary>
internal static class Pca
{
    /// <summary>Scores <c>[n, components]</c> (flat) of <paramref name="x"/> (flat <c>[n, d]</c>), largest variance first.</summary>
    public static double[] Scores(double[] x, int n, int d, int components, long seed, int iterations = 30)
    {
        int p = Math.Min(components + 6, Math.Min(n, d));
        if (components > p) throw new ArgumentOutOfRangeException(nameof(components), $"cannot take {components} principal components of [{n}, {d}] data.");
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++) mean[a] += x[i * d + a];
        for (int a = 0; a < d; a++) mean[a] /= n;

        var random = new Random(SeedHash(seed));
        var q = new double[n * p];
        for (int e = 0; e < q.Length; e++) q[e] = Gaussian(random);
        Orthonormalise(q, n, p);
        var w = new double[d * p];
        for (int it = 0; it < iterations; it++)
        {
            TransposeTimes(x, mean, n, d, q, p, w);   // w = Xcᵀ q   [d, p]
            Times(x, mean, n, d, w, p, q);            // q = Xc w    [n, p]
            Orthonormalise(q, n, p);
        }
        TransposeTimes(x, mean, n, d, q, p, w);
        // G = wᵀ w = qᵀ Xc Xcᵀ q (p×p); its eigenvectors rotate q onto the left singular vectors.
        var g = new double[p * p];
        for (int r = 0; r < p; r++)
            for (int c = 0; c < p; c++)
            {
                double s = 0;
                for (int a = 0; a < d; a++) s += w[a * p + r] * w[a * p + c];
                g[r * p + c] = s;
            }
        var (values, vectors) = JacobiEigen(g, p);
        var order = Enumerable.Range(0, p).OrderByDescending(k => values[k]).ToArray();
        var scores = new double[n * components];
        for (int c = 0; c < components; c++)
        {
            int k = order[c];
            double sigma = Math.Sqrt(Math.Max(values[k], 0));
            double best = 0;
            for (int i = 0; i < n; i++)
            {
                double u = 0;
                for (int r = 0; r < p; r++) u += q[i * p + r] * vectors[r * p + k];
                scores[i * components + c] = u * sigma;
                if (Math.Abs(u) > Math.Abs(best)) best = u;
            }
            if (best < 0)
                for (int i = 0; i < n; i++) scores[i * components + c] = -scores[i * components + c];
        }
        return scores;
    }

    /// <summary>A 32-bit seed for <see cref="Random"/> (whose seeded algorithm is fixed across .NET versions) from a 64-bit one.</summary>
    internal static int SeedHash(long seed) => unchecked((int)(seed ^ (seed >> 32)));

    /// <summary>Standard normal draw (Box-Muller).</summary>
    internal static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    static void TransposeTimes(double[] x, double[] mean, int n, int d, double[] q, int p, double[] w)
    {
        // (X - 1 meanᵀ)ᵀ q = Xᵀ q - mean (1ᵀ q)
        var colSum = new double[p];
        for (int i = 0; i < n; i++)
            for (int r = 0; r < p; r++) colSum[r] += q[i * p + r];
        ParallelChunks.For(d, (start, end, _) =>
        {
            for (int a = start; a < end; a++)
                for (int r = 0; r < p; r++) w[a * p + r] = -mean[a] * colSum[r];
            for (int i = 0; i < n; i++)
                for (int a = start; a < end; a++)
                {
                    double xv = x[i * d + a];
                    for (int r = 0; r < p; r++) w[a * p + r] += xv * q[i * p + r];
                }
        });
    }

    static void Times(double[] x, double[] mean, int n, int d, double[] w, int p, double[] q)
    {
        // (X - 1 meanᵀ) w = X w - 1 (meanᵀ w)
        var shift = new double[p];
        for (int a = 0; a < d; a++)
            for (int r = 0; r < p; r++) shift[r] += mean[a] * w[a * p + r];
        ParallelChunks.For(n, (start, end, _) =>
        {
            for (int i = start; i < end; i++)
            {
                for (int r = 0; r < p; r++) q[i * p + r] = -shift[r];
                for (int a = 0; a < d; a++)
                {
                    double xv = x[i * d + a];
                    for (int r = 0; r < p; r++) q[i * p + r] += xv * w[a * p + r];
                }
            }
        });
    }

    /// <summary>
    /// Modified Gram-Schmidt on the columns of <paramref name="q"/> <c>[n, p]</c>. A column that (nearly) lies in the span
    /// of the previous ones, as happens when the data have rank below <c>p</c>, is set to zero: what is left of it after
    /// the projections is rounding noise, and scaling that noise up would break the orthogonality the Rayleigh-Ritz step needs.
    /// </summary>
    static void Orthonormalise(double[] q, int n, int p)
    {
        for (int c = 0; c < p; c++)
        {
            double before = 0;
            for (int i = 0; i < n; i++) before += q[i * p + c] * q[i * p + c];
            for (int prev = 0; prev < c; prev++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i * p + c] * q[i * p + prev];
                for (int i = 0; i < n; i++) q[i * p + c] -= dot * q[i * p + prev];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i * p + c] * q[i * p + c];
            norm = Math.Sqrt(norm);
            double scale = norm > 1e-300 && norm > 1e-10 * Math.Sqrt(before) ? 1 / norm : 0;
            for (int i = 0; i < n; i++) q[i * p + c] *= scale;
        }
    }

    /// <summary>Cyclic Jacobi eigen-decomposition of the symmetric <paramref name="a"/> <c>[m, m]</c>: eigenvalues and column eigenvectors.</summary>
    static (double[] Values, double[] Vectors) JacobiEigen(double[] a, int m)
    {
        a = (double[])a.Clone();
        var v = new double[m * m];
        for (int i = 0; i < m; i++) v[i * m + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int r = 0; r < m; r++)
                for (int c = r + 1; c < m; c++) off += a[r * m + c] * a[r * m + c];
            if (off < 1e-30) break;
            for (int r = 0; r < m; r++)
                for (int c = r + 1; c < m; c++)
                {
                    double arc = a[r * m + c];
                    if (Math.Abs(arc) < 1e-300) continue;
                    double theta = (a[c * m + c] - a[r * m + r]) / (2 * arc);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double cos = 1 / Math.Sqrt(t * t + 1), sin = t * cos;
                    for (int k = 0; k < m; k++)
                    {
                        double akr = a[k * m + r], akc = a[k * m + c];
                        a[k * m + r] = cos * akr - sin * akc;
                        a[k * m + c] = sin * akr + cos * akc;
                    }
                    for (int k = 0; k < m; k++)
                    {
                        double ark = a[r * m + k], ack = a[c * m + k];
                        a[r * m + k] = cos * ark - sin * ack;
                        a[c * m + k] = sin * ark + cos * ack;
                    }
                    for (int k = 0; k < m; k++)
                    {
                        double vkr = v[k * m + r], vkc = v[k * m + c];
                        v[k * m + r] = cos * vkr - sin * vkc;
                        v[k * m + c] = sin * vkr + cos * vkc;
                    }
                }
        }
        var values = new double[m];
        for (int i = 0; i < m; i++) values[i] = a[i * m + i];
        return (values, v);
    }
}
