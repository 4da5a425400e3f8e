namespace EnsembleKit.Evaluation;

/// <summary>
/// One predictor's scores on one shifted test set (<see cref="CorruptionEvaluation"/>): <see cref="Corruption"/> at
/// <see cref="Severity"/> 1-5, or the clean test set (<see cref="CorruptionEvaluation.Clean"/>, severity 0), or the mean
/// over corruptions at one severity (<see cref="CorruptionEvaluation.Mean"/>). The scores are
/// <see cref="EnsembleEvaluation"/>'s: accuracy a fraction in [0, 1], NLL, ECE, Brier.
/// </summary>
public sealed record CorruptionRow(string Corruption, int Severity, string Predictor, int Members, double Accuracy, double Nll, double Ece, double Brier);
