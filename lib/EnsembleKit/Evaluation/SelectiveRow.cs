namespace EnsembleKit.Evaluation;

/// <summary>
/// One predictor's selective prediction on a test set (<see cref="SelectiveEvaluation"/>): its accuracy at full coverage,
/// AURC, the oracle's AURC for the same errors, E-AURC = AURC − oracle AURC, and accuracy among its 50 / 90 / 95 / 99 %
/// most confident samples. Accuracies are fractions in [0, 1]; the definitions are those of
/// <see cref="Uncertainty.SelectivePrediction"/>.
/// </summary>
public sealed record SelectiveRow(string Predictor, int Members, double Accuracy, double Aurc, double OracleAurc, double EAurc,
    double AccuracyAt50, double AccuracyAt90, double AccuracyAt95, double AccuracyAt99);
