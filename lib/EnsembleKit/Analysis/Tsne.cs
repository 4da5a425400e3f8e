using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// t-distributed stochastic neighbour embedding (van der Maaten and Hinton 2008; Barnes-Hut: van der Maaten 2014),
/// written on plain <c>double</c> arrays, following scikit-learn's <c>TSNE</c>: squared Euclidean input distances,
/// perplexity-calibrated Gaussian conditionals symmetrised into P, Student-t Q, gradient descent with momentum and
/// per-parameter gains (delta-bar-delta: +0.2 when the step changes sign, ×0.8 otherwise, at least 0.01; gains and
/// velocity reset when the exaggeration phase ends). Deterministic for a given <see cref="TsneOptions.Seed"/>.
/// Seed 001 uses it on training trajectories: one point per checkpoint (its flattened test-set softmax outputs).
/// </summary>
public static class Tsne
{
    /// <summary>Embeds the rows of <paramref name="data"/> <c>[N, D]</c>; returns the embedding <c>[N, options.Dimensions]</c>.</summary>
    public static double[,] Fit(double[,] data, TsneOptions? options = null) => Run(data, options).Embedding;

    /// <summary>Embeds the rows of a <c>[N, D]</c> tensor (e.g. a model's softmax outputs), copied to <c>double</c>; see
    /// <see cref="Run(double[,], TsneOptions?)"/>.</summary>
    public static TsneResult Run(Tensor data, TsneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dim() != 2) throw new ArgumentException($"expected rows [N, D]; got [{string.Join(", ", data.shape)}].", nameof(data));
        return Run(HostMatrix.Of(data), options);
    }

    /// <summary>As <see cref="Fit"/>, also returning the final KL divergence and the method and learning rate used.</summary>
    /// <exception cref="ArgumentException">N ≤ 3·perplexity, or a NaN/infinite value (the message names the row).</exception>
    public static TsneResult Run(double[,] data, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        options.Validate();
        var x = PointMatrix.Flatten(data, nameof(data));
        int n = data.GetLength(0), d = data.GetLength(1), dims = options.Dimensions;
        if (n <= 3 * options.Perplexity)
            throw new ArgumentException(
                $"t-SNE needs more than 3 × perplexity = {3 * options.Perplexity:0.##} points; got {n} rows in data [{n}, {d}]. " +
                $"Use a perplexity below {n / 3.0:0.##} (e.g. Perplexity = {Math.Max(1, Math.Floor((n - 1) / 3.0))}).", nameof(data));
        var method = options.Method switch
        {
            TsneMethod.Auto => n <= TsneOptions.ExactMaxPoints || dims != 2 ? TsneMethod.Exact : TsneMethod.BarnesHut,
            var m => m,
        };
        double learningRate = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);

        var y = Initialise(x, n, d, dims, options);
        var gradient = new double[n * dims];
        var update = new double[n * dims];
        var gains = new double[n * dims];
        Func<double, bool, double> objective;
        if (method == TsneMethod.Exact)
        {
            var p = TsneAffinities.Dense(x, n, d, options.Perplexity);
            var repulsion = new double[n * dims];
            objective = (exaggeration, kl) => TsneGradient.Exact(p, y, n, dims, exaggeration, gradient, repulsion, kl);
        }
        else
        {
            var p = TsneAffinities.Sparse(x, n, d, options.Perplexity);
            var tree = new QuadTree();
            var repulsion = new double[n * 2];
            objective = (exaggeration, kl) => TsneGradient.BarnesHut(p, y, n, exaggeration, options.Theta, tree, gradient, repulsion, kl);
        }

        Array.Fill(gains, 1.0);
        for (int it = 0; it < options.Iterations; it++)
        {
            bool exaggerated = it < options.ExaggerationIterations;
            if (it == options.ExaggerationIterations && it > 0)
            {
                Array.Clear(update);
                Array.Fill(gains, 1.0);
            }
            bool report = options.Progress is not null && ((it + 1) % options.ProgressInterval == 0 || it + 1 == options.Iterations);
            double kl = objective(exaggerated ? options.EarlyExaggeration : 1, report);
            double momentum = exaggerated ? options.InitialMomentum : options.FinalMomentum;
            for (int e = 0; e < y.Length; e++)
            {
                double g = gradient[e];
                gains[e] = update[e] * g < 0 ? gains[e] + 0.2 : Math.Max(gains[e] * 0.8, 0.01);
                update[e] = momentum * update[e] - learningRate * gains[e] * g;
                y[e] += update[e];
            }
            if (report) options.Progress!(new TsneProgress(it + 1, options.Iterations, kl, exaggerated));
        }
        double finalKl = objective(1, true);

        var embedding = new double[n, dims];
        Buffer.BlockCopy(y, 0, embedding, 0, y.Length * sizeof(double));
        return new TsneResult(embedding, finalKl, method, learningRate);
    }

    /// <summary>Initial embedding, flat <c>[n, dims]</c>: PCA scores scaled to std 1e-4 on the first axis, or N(0, 1e-4²).</summary>
    static double[] Initialise(double[] x, int n, int d, int dims, TsneOptions options)
    {
        if (options.PcaInitialization)
        {
            if (dims > Math.Min(n, d))
                throw new ArgumentException($"PCA initialisation needs Dimensions ({dims}) <= min(N, D) = {Math.Min(n, d)}; use the random initialisation.", nameof(options));
            var scores = Pca.Scores(x, n, d, dims, options.Seed);
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += scores[i * dims];
            mean /= n;
            for (int i = 0; i < n; i++) sq += (scores[i * dims] - mean) * (scores[i * dims] - mean);
            double std = Math.Sqrt(sq / n);
            double scale = std > 0 ? 1e-4 / std : 0;
            for (int e = 0; e < scores.Length; e++) scores[e] *= scale;
            if (scale > 0)
            {
                // Data of lower rank than the embedding (e.g. points on a line) leave an axis without spread; points equal
                // along an axis stay equal there (the gradient along it is zero), so such an axis starts random, as the
                // random initialisation would start it.
                var axisRandom = new Random(Pca.SeedHash(options.Seed));
                for (int a = 1; a < dims; a++)
                {
                    double axisSq = 0;
                    for (int i = 0; i < n; i++) axisSq += scores[i * dims + a] * scores[i * dims + a];
                    if (Math.Sqrt(axisSq / n) > 1e-8 * 1e-4) continue;
                    for (int i = 0; i < n; i++) scores[i * dims + a] = 1e-4 * Pca.Gaussian(axisRandom);
                }
                return scores;
            }
            // All points identical along every direction: fall through to a random start.
        }
        var random = new Random(Pca.SeedHash(options.Seed));
        var y = new double[n * dims];
        for (int e = 0; e < y.Length; e++) y[e] = 1e-4 * Pca.Gaussian(random);
        return y;
    }
}
