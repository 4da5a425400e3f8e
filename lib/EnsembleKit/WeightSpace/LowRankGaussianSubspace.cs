using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

public static partial class SubspaceSampling
{
    /// <summary>
    /// Low-rank Gaussian samples from a PCA of <paramref name="iterates"/> (≥ 2 weight vectors of one run):
    /// <c>μ + s·Σ_k z_k √λ_k u_k</c>, z ~ N(0, I), where u_k are the top <see cref="GaussianSubspaceOptions.Rank"/> principal
    /// directions of the centred iterates and λ_k the (population) variance of the iterates along them. Components with
    /// negligible variance (&lt; 1e-12 of the largest) are dropped.
    /// </summary>
    public static IReadOnlyList<WeightSample> LowRankGaussian(IReadOnlyList<float[]> iterates, GaussianSubspaceOptions? options = null)
    {
        options ??= new GaussianSubspaceOptions();
        TorchRuntime.EnsureInitialized();
        var (mean, t) = Moments(iterates, options);
        if (options.Rank <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"rank must be positive; got {options.Rank}.");
        int p = mean.Length, rank = Math.Min(options.Rank, t - 1);
        // Gram matrix of the centred iterates (t x t), eigen-decomposed; directions u_k = Dᵀ v_k / sqrt(t λ_k).
        var centred = iterates.Select(it => Enumerable.Range(0, p).Select(i => it[i] - mean[i]).ToArray()).ToArray();
        var gram = new double[t * t];
        for (int a = 0; a < t; a++)
            for (int b = a; b < t; b++)
            {
                double s = 0;
                for (int i = 0; i < p; i++) s += centred[a][i] * centred[b][i];
                gram[a * t + b] = gram[b * t + a] = s;
            }
        double[] values, vectors;
        using (var scope = NewDisposeScope())
        {
            var (l, v) = linalg.eigh(tensor(gram, new long[] { t, t }, ScalarType.Float64));
            values = l.data<double>().ToArray(); // ascending
            vectors = v.contiguous().data<double>().ToArray(); // column k = eigenvector k
        }
        var components = new List<double[]>(); // each = sqrt(variance) * unit direction = Dᵀ v / sqrt(t)
        double largest = values[^1];
        for (int k = t - 1; k >= 0 && components.Count < rank; k--)
        {
            if (!(values[k] > 1e-12 * largest) || largest <= 0) break;
            var c = new double[p];
            for (int a = 0; a < t; a++)
            {
                double w = vectors[a * t + k] / Math.Sqrt(t);
                for (int i = 0; i < p; i++) c[i] += w * centred[a][i];
            }
            components.Add(c);
        }
        var noise = new GaussianNoise(options.Seed);
        var samples = new List<WeightSample>();
        foreach (var s in options.Scales)
            for (int n = 0; n < options.SamplesPerScale; n++)
            {
                var w = (double[])mean.Clone();
                foreach (var c in components)
                {
                    double z = s * noise.Next();
                    for (int i = 0; i < p; i++) w[i] += z * c[i];
                }
                samples.Add(new WeightSample("low-rank Gaussian", s, w.Select(x => (float)x).ToArray()));
            }
        return samples;
    }
}
