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
    /// <c>[n, n]</c> joint probabilities; <paramref name="w"/>: scratch of length n·n.
    /// </summary>
    public static double Exact(double[] p, double[] y, int n, int dims, double exaggeration, double[] gradient, double[] w, bool computeKl)
    {
        var zParts = new double[ParallelChunks.ChunkCount(n)];
        ParallelChunks.For(n, (start, end, chunk) =>
        {
            double z = 0;
            for (int i = start; i < end; i++)
            {
                int row = i * n;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { w[row + j] = 0; continue; }
                    double v = 1 / (1 + PointMatrix.SquaredDistance(y, dims, i, j));
                    w[row + j] = v;
                    z += v;
                }
            }
            zParts[chunk] = z;
        });
        double zSum = zParts.Sum();
        double invZ = 1 / zSum;
        var klParts = new double[zParts.Length];
        ParallelChunks.For(n, (start, end, chunk) =>
        {
            Span<double> g = stackalloc double[dims];
            double kl = 0;
            for (int i = start; i < end; i++)
            {
                g.Clear();
                int row = i * n;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) continue;
                    double wij = w[row + j], pij = p[row + j];
                    double mult = (exaggeration * pij - wij * invZ) * wij;
                    for (int a = 0; a < dims; a++) g[a] += mult * (y[i * dims + a] - y[j * dims + a]);
                    if (computeKl && pij > 0) kl += pij * Math.Log(pij / Math.Max(wij * invZ, TsneAffinities.Floor));
                }
                for (int a = 0; a < dims; a++) gradient[i * dims + a] = 4 * g[a];
            }
            klParts[chunk] = kl;
        });
        return computeKl ? klParts.Sum() : double.NaN;
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
