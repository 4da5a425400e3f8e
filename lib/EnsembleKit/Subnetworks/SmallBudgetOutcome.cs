namespace EnsembleKit.Subnetworks;

/// <summary>
/// SSE (NP) against one baseline of a <see cref="SmallBudgetSummary"/> on one data set (seed 002 claim 12): both mean
/// accuracies in percent, the margin (2 decimals), whether SSE (NP) is ahead, and whether the comparison is part of the
/// enforced claim.
/// </summary>
public sealed record SmallBudgetOutcome(string Data, string Baseline, double SseNp, double BaselineAccuracy, double Margin, bool SseNpWins, bool Enforced);
