namespace EnsembleKit.WeightSpace;

public static partial class SubspaceSampling
{
    /// <summary>
    /// Diagonal-Gaussian (SWAG-diagonal) samples <c>μ + s·σ∘ε</c>, ε ~ N(0, I), where μ and σ are the per-coordinate mean and
    /// (population) standard deviation of <paramref name="iterates"/> (≥ 2 weight vectors of one run, e.g.
    /// <see cref="Diversity.TrajectoryPoint.Weights"/> of the last epochs; they must use the layout the samples will be loaded with).
    /// </summary>
    public static IReadOnlyList<WeightSample> DiagonalGaussian(IReadOnlyList<float[]> iterates, GaussianSubspaceOptions? options = null)
    {
        options ??= new GaussianSubspaceOptions();
        var (mean, _) = Moments(iterates, options);
        int p = mean.Length, t = iterates.Count;
        var std = new double[p];
        for (int i = 0; i < p; i++)
        {
            double v = 0;
            foreach (var it in iterates) v += (it[i] - mean[i]) * (it[i] - mean[i]);
            std[i] = Math.Sqrt(v / t);
        }
        var noise = new GaussianNoise(options.Seed);
        var samples = new List<WeightSample>();
        foreach (var s in options.Scales)
            for (int k = 0; k < options.SamplesPerScale; k++)
            {
                var weights = new float[p];
                for (int i = 0; i < p; i++) weights[i] = (float)(mean[i] + s * std[i] * noise.Next());
                samples.Add(new WeightSample("diagonal Gaussian", s, weights));
            }
        return samples;
    }

    /// <summary>Checks the iterates and returns their mean (float64) and count.</summary>
    static (double[] Mean, int Count) Moments(IReadOnlyList<float[]> iterates, GaussianSubspaceOptions options)
    {
        if (iterates.Count < 2) throw new ArgumentException($"fitting a Gaussian needs at least 2 iterates; got {iterates.Count}.", nameof(iterates));
        if (options.SamplesPerScale <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"samples per scale must be positive; got {options.SamplesPerScale}.");
        int p = iterates[0].Length;
        for (int k = 1; k < iterates.Count; k++)
            if (iterates[k].Length != p) throw new ArgumentException($"iterate {k} has {iterates[k].Length} values but iterate 0 has {p}.", nameof(iterates));
        var mean = new double[p];
        foreach (var it in iterates)
            for (int i = 0; i < p; i++) mean[i] += it[i];
        for (int i = 0; i < p; i++) mean[i] /= iterates.Count;
        return (mean, iterates.Count);
    }
}
