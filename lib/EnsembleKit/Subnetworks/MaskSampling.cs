namespace EnsembleKit.Subnetworks;

/// <summary>
/// How random masks hit their sparsity. <see cref="ExactCount"/> (the kit's default) removes exactly
/// <c>MaskOptions.PrunedCount(units, sparsity)</c> units of every tensor, chosen uniformly at random;
/// <see cref="Bernoulli"/> is seed 002's literal rule, an independent keep/remove draw per unit with keep probability
/// <c>1 - sparsity</c>, so the realised sparsity only matches on average. For Neural Partitioning, ExactCount splits each
/// tensor's units into parts whose sizes differ by at most one, Bernoulli draws a uniform part label per unit.
/// </summary>
public enum MaskSampling { ExactCount, Bernoulli }
