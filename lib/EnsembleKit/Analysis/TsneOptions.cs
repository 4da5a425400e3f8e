namespace EnsembleKit.Analysis;

/// <summary>
/// Settings of <see cref="Tsne"/>. Defaults follow scikit-learn's <c>TSNE</c> (perplexity 30, 1000 iterations,
/// early exaggeration 12 for the first 250 iterations with momentum 0.5, then momentum 0.8, learning rate "auto",
/// gains with minimum 0.01, Student-t kernel with one degree of freedom). The seeds do not state their t-SNE settings.
/// </summary>
public sealed record TsneOptions
{
    /// <summary>Largest N for which <see cref="TsneMethod.Auto"/> picks the exact method.</summary>
    public const int ExactMaxPoints = 2000;

    /// <summary>Embedding dimensions (2 for plots; Barnes-Hut supports only 2).</summary>
    public int Dimensions { get; init; } = 2;
    /// <summary>Effective number of neighbours; needs N &gt; 3·perplexity.</summary>
    public double Perplexity { get; init; } = 30;
    /// <summary>Step size; <c>null</c> = "auto": <c>max(N / EarlyExaggeration / 4, 50)</c> as in scikit-learn.</summary>
    public double? LearningRate { get; init; }
    /// <summary>Total gradient steps, including the exaggeration phase.</summary>
    public int Iterations { get; init; } = 1000;
    /// <summary>Factor on P during the first <see cref="ExaggerationIterations"/> iterations.</summary>
    public double EarlyExaggeration { get; init; } = 12;
    public int ExaggerationIterations { get; init; } = 250;
    /// <summary>Momentum during the exaggeration phase.</summary>
    public double InitialMomentum { get; init; } = 0.5;
    /// <summary>Momentum after the exaggeration phase.</summary>
    public double FinalMomentum { get; init; } = 0.8;
    /// <summary>Seeds the initial embedding (Gaussian, or the PCA start vectors).</summary>
    public long Seed { get; init; }
    public TsneMethod Method { get; init; } = TsneMethod.Auto;
    /// <summary>Barnes-Hut accuracy: a cell is summarised when its width &lt; Theta · distance to its centre of mass (0 = exact).</summary>
    public double Theta { get; init; } = 0.5;
    /// <summary>
    /// Start from the first principal components scaled to standard deviation 1e-4 on the first axis (scikit-learn's
    /// <c>init="pca"</c>); otherwise from N(0, 1e-4²) (scikit-learn's <c>init="random"</c>).
    /// </summary>
    public bool PcaInitialization { get; init; }
    /// <summary>Called every <see cref="ProgressInterval"/> iterations and after the last, on the calling thread.</summary>
    public Action<TsneProgress>? Progress { get; init; }
    public int ProgressInterval { get; init; } = 50;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Dimensions < 1) throw new ArgumentOutOfRangeException(nameof(Dimensions), $"embedding dimensions must be at least 1; got {Dimensions}.");
        if (!(Perplexity >= 1) || double.IsInfinity(Perplexity)) throw new ArgumentOutOfRangeException(nameof(Perplexity), $"perplexity must be a finite number >= 1; got {Perplexity}.");
        if (LearningRate is { } lr && (!(lr > 0) || double.IsInfinity(lr))) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"learning rate must be positive and finite (or null for auto); got {lr}.");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), $"iterations must be positive; got {Iterations}.");
        if (!(EarlyExaggeration >= 1) || double.IsInfinity(EarlyExaggeration)) throw new ArgumentOutOfRangeException(nameof(EarlyExaggeration), $"early exaggeration must be >= 1; got {EarlyExaggeration}.");
        if (ExaggerationIterations < 0) throw new ArgumentOutOfRangeException(nameof(ExaggerationIterations), $"exaggeration iterations must be non-negative; got {ExaggerationIterations}.");
        if (InitialMomentum is < 0 or >= 1 || double.IsNaN(InitialMomentum)) throw new ArgumentOutOfRangeException(nameof(InitialMomentum), $"momentum must be in [0, 1); got {InitialMomentum}.");
        if (FinalMomentum is < 0 or >= 1 || double.IsNaN(FinalMomentum)) throw new ArgumentOutOfRangeException(nameof(FinalMomentum), $"momentum must be in [0, 1); got {FinalMomentum}.");
        if (Theta is < 0 || double.IsNaN(Theta) || double.IsInfinity(Theta)) throw new ArgumentOutOfRangeException(nameof(Theta), $"theta must be finite and non-negative; got {Theta}.");
        if (ProgressInterval < 1) throw new ArgumentOutOfRangeException(nameof(ProgressInterval), $"progress interval must be positive; got {ProgressInterval}.");
        if (Method == TsneMethod.BarnesHut && Dimensions != 2)
            throw new ArgumentOutOfRangeException(nameof(Dimensions), $"Barnes-Hut t-SNE supports 2-D embeddings only (quadtree); got {Dimensions} dimensions. Use TsneMethod.Exact.");
    }
}
