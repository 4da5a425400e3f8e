using EnsembleKit.Diversity;

namespace EnsembleKit.Evaluation;

/// <summary>How differently the members predict: pairwise disagreement (share of inputs whose top classes differ) and
/// pairwise KL divergence between the members' predictive distributions, each summarised over ordered member pairs.</summary>
public sealed record DiversitySummary(PairwiseSummary Disagreement, PairwiseSummary KlDivergence);
