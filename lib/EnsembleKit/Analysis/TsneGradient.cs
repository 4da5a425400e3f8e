using System.Numerics;

namespace EnsembleKit.Analysis;

/// <summary>
/// Gradient of t-SNE's objective <c>KL(P‖Q) = Σ_{i≠j} p_ij ln(p_ij / q_ij)</c> with the Student-t kernel
/// <c>q_ij = w_ij / Z</c>, <c>w_ij = 1 / (1 + |y_i - y_j|²)</c>, <c>Z = Σ_{k≠l} w_kl</c>:
/// <c>∂KL/∂y_i = 4 Σ_j (p_ij - q_ij) w_ij (y_i - y_j)</c> (van der Maaten and Hinton 2008, eq. 5).
/// Embeddings are flat row-major <c>[n, dims]</c> arrays.
/// </summary>
internal static class TsneGradient
{
    /// <summary>
    /// Exact gradient into <paramref name="gradient"/> with P multiplied by <paramref name="exaggeration"/>;
    /// returns KL(P‖Q) for the unexaggerated P if <paramref name="computeKl"/>, else NaN. <paramref name="p"/>: flat
    /// <c>[n, n]</c> joint probabilities (zero diagonal). One pass over all pairs: the gradient splits into
    /// <c>4 (Σ_j p_ij w_ij (y_i - y_j) - Σ_j w_ij² (y_i - y_j) / Z)</c>, and with Σ p = 1,
    /// <c>KL = Σ p_ij ln(p_ij / w_ij) + ln Z</c>, so no n×n kernel matrix is stored.
    /// </summary>
    public static double Exact(double[] p, double[] y, int n, int dims, double exaggeration, double[] gradient, double[] repulsion, bool computeKl)
    {
        int chunks = ParallelChunks.ChunkCount(n);
        var zParts = new double[chunks];
        var klParts = new double[chunks];
        double[] xs = [], ys = [];
        if (dims == 2)
        {
            // Coordinates as two contiguous arrays for the vectorised row loop.
            xs = new double[n];
            ys = new double[n];
            for (int i = 0; i < n; i++) { xs[i] = y[2 * i]; ys[i] = y[2 * i + 1]; }
        }
        ParallelChunks.For(n, (start, end, chunk) =>
        {
            double z = 0, kl = 0;
            if (dims == 2)
            {
                for (int i = start; i < end; i++)
                {
                    var (ax, ay, rx, ry, zi) = ExactRow2D(p.AsSpan(i * n, n), xs, ys, xs[i], ys[i]);
                    zi -= 1; // the j = i term: w_ii = 1, p_ii = 0 and y_i - y_i = 0 add nothing else
                    if (computeKl)
                    {
                        int row = i * n;
                        for (int j = 0; j < n; j++)
                        {
                            if (j == i) continue;
                            double dx = xs[i] - xs[j], dy = ys[i] - ys[j];
                            kl += p[row + j] * Math.Log(p[row + j] * (1 + dx * dx + dy * dy));
                        }
                    }
                    gradient[2 * i] = 4 * exaggeration * ax;
                    gradient[2 * i + 1] = 4 * exaggeration * ay;
                    repulsion[2 * i] = rx;
                    repulsion[2 * i + 1] = ry;
                    z += zi;
                }
            }
            else
            {
                Span<double> a = stackalloc double[dims];
                Span<double> r = stackalloc double[dims];
                for (int i = start; i < end; i++)
                {
                    a.Clear();
                    r.Clear();
                    int row = i * n;
                    for (int j = 0; j < n; j++)
                    {
                        if (j == i) continue;
                        double d2 = PointMatrix.SquaredDistance(y, dims, i, j);
                        double w = 1 / (1 + d2);
                        double pw = p[row + j] * w, ww = w * w;
                        for (int k = 0; k < dims; k++)
                        {
                            double diff = y[i * dims + k] - y[j * dims + k];
                            a[k] += pw * diff;
                            r[k] += ww * diff;
                        }
                        z += w;
                        if (computeKl) kl += p[row + j] * Math.Log(p[row + j] * (1 + d2));
                    }
                    for (int k = 0; k < dims; k++)
                    {
                        gradient[i * dims + k] = 4 * exaggeration * a[k];
                        repulsion[i * dims + k] = r[k];
                    }
                }
            }
            zParts[chunk] = z;
            klParts[chunk] = kl;
        });
        double zSum = zParts.Sum(), invZ = 1 / zSum;
        for (int e = 0; e < n * dims; e++) gradient[e] -= 4 * invZ * repulsion[e];
        return computeKl ? klParts.Sum() + Math.Log(zSum) : double.NaN;
    }

    /// <summary>
    /// Sums over all j (including j = i, which contributes w = 1 to Z only when <paramref name="pRow"/>[i] = 0) of
    /// <c>p_j w_j (y_i - y_j)</c>, <c>w_j² (y_i - y_j)</c> and <c>w_j</c>, SIMD over j.
    /// </summary>
    static (double Ax, double Ay, double Rx, double Ry, double Z) ExactRow2D(ReadOnlySpan<double> pRow, double[] xs, double[] ys, double xi, double yi)
    {
        int n = xs.Length, width = Vector<double>.Count, j = 0;
        var vxi = new Vector<double>(xi);
        var vyi = new Vector<double>(yi);
        var one = Vector<double>.One;
        Vector<double> ax = default, ay = default, rx = default, ry = default, z = default;
        for (; j <= n - width; j += width)
        {
            var dx = vxi - new Vector<double>(xs, j);
            var dy = vyi - new Vector<double>(ys, j);
            var w = one / (one + dx * dx + dy * dy);
            var pw = new Vector<double>(pRow.Slice(j, width)) * w;
            ax += pw * dx; ay += pw * dy;
            z += w;
            w *= w;
            rx += w * dx; ry += w * dy;
        }
        double sax = Vector.Sum(ax), say = Vector.Sum(ay), srx = Vector.Sum(rx), sry = Vector.Sum(ry), sz = Vector.Sum(z);
        for (; j < n; j++)
        {
            double dx = xi - xs[j], dy = yi - ys[j];
            double w = 1 / (1 + dx * dx + dy * dy);
            double pw = pRow[j] * w;
            sax += pw * dx; say += pw * dy;
            sz += w;
            w *= w;
            srx += w * dx; sry += w * dy;
        }
        return (sax, say, srx, sry, sz);
    }

    /// <summary>
    /// Barnes-Hut gradient (2-D only): attractive forces exactly over the sparse <paramref name="p"/> (times
    /// <paramref name="exaggeration"/>), repulsive forces and Z from <paramref name="tree"/> (rebuilt here on
    /// <paramref name="y"/>) with accuracy <paramref name="theta"/>. Returns KL(P‖Q) over the non-zero p_ij (with Z
    /// from the tree) if <paramref name="computeKl"/>, else NaN. <paramref name="repulsion"/>: scratch <c>[n, 2]</c>.
    /// </summary>
    public static double BarnesHut(SparseAffinities p, double[] y, int n, double exaggeration, double theta,
        QuadTree tree, double[] gradient, double[] repulsion, bool computeKl)
    {
        tree.Build(y, n);
        double thetaSquared = theta * theta;
        var zParts = new double[ParallelChunks.ChunkCount(n)];
        // Repulsion per point, visiting points in tree order so consecutive points walk similar cells.
        ParallelChunks.For(n, (start, end, chunk) =>
        {
            Span<int> stack = stackalloc int[3 * QuadTree.MaxDepth + 8];
            var order = tree.Order;
            double z = 0;
            for (int e = start; e < end; e++)
            {
                int i = order[e];
                z += tree.Repulsion(i, y[2 * i], y[2 * i + 1], thetaSquared, stack, out double fx, out double fy);
                repulsion[2 * i] = fx;
                repulsion[2 * i + 1] = fy;
            }
            zParts[chunk] = z;
        });
        double invZ = 1 / zParts.Sum();
        var klParts = new double[zParts.Length];
        var rowStart = p.RowStart;
        var cols = p.Columns;
        var vals = p.Values;
        ParallelChunks.For(n, (start, end, chunk) =>
        {
            double kl = 0;
            for (int i = start; i < end; i++)
            {
                double xi = y[2 * i], yi = y[2 * i + 1], ax = 0, ay = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++)
                {
                    int j = cols[e];
                    double dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
                    double wij = 1 / (1 + dx * dx + dy * dy);
                    double pw = vals[e] * wij;
                    ax += pw * dx; ay += pw * dy;
                    if (computeKl) kl += vals[e] * Math.Log(Math.Max(vals[e], TsneAffinities.Floor) / Math.Max(wij * invZ, TsneAffinities.Floor));
                }
                gradient[2 * i] = 4 * (exaggeration * ax - repulsion[2 * i] * invZ);
                gradient[2 * i + 1] = 4 * (exaggeration * ay - repulsion[2 * i + 1] * invZ);
            }
            klParts[chunk] = kl;
        });
        return computeKl ? klParts.Sum() : double.NaN;
    }
}
