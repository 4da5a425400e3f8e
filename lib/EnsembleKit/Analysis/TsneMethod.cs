namespace EnsembleKit.Analysis;

/// <summary>How <see cref="Tsne"/> computes the gradient of the KL divergence.</summary>
public enum TsneMethod
{
    /// <summary><see cref="Exact"/> for at most <see cref="TsneOptions.ExactMaxPoints"/> points or an embedding other than 2-D, else <see cref="BarnesHut"/>.</summary>
    Auto,
    /// <summary>All N² pairs: affinities from every other point, exact gradient. O(N²) time and memory per iteration.</summary>
    Exact,
    /// <summary>
    /// van der Maaten (2014): affinities on the <c>floor(3·perplexity + 1)</c> nearest neighbours, repulsion
    /// approximated with a quadtree (cells with width/distance &lt; <see cref="TsneOptions.Theta"/> act as one point).
    /// 2-D embeddings only. O(N log N) per iteration.
    /// </summary>
    BarnesHut,
}
