namespace EnsembleKit.Analysis;

/// <summary>
/// Progress of a <see cref="Tsne"/> run, reported every <see cref="TsneOptions.ProgressInterval"/> iterations and
/// after the last one. <paramref name="Iteration"/> counts completed iterations (1-based);
/// <paramref name="KlDivergence"/> is KL(P‖Q) in nats with the true (not exaggerated) P;
/// <paramref name="Exaggerated"/> is true during the early-exaggeration phase.
/// </summary>
public sealed record TsneProgress(int Iteration, int Iterations, double KlDivergence, bool Exaggerated);
