namespace EnsembleKit.Analysis;

/// <summary>
/// Outcome of <see cref="Tsne.Run(double[,], TsneOptions?)"/>: <paramref name="Embedding"/> <c>[N, Dimensions]</c>, the final KL(P‖Q) in nats,
/// the method actually used (never <see cref="TsneMethod.Auto"/>) and the learning rate actually used.
/// </summary>
public sealed record TsneResult(double[,] Embedding, double KlDivergence, TsneMethod Method, double LearningRate);
