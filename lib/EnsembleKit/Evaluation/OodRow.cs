using EnsembleKit.Uncertainty;

namespace EnsembleKit.Evaluation;

/// <summary>
/// How well one predictor's score <see cref="Measure"/> tells in-distribution inputs from the out-of-distribution set
/// <see cref="OodSet"/>: AUROC, AUPR with either side as positives, and the false-positive rate at 95 % true positives.
/// </summary>
public sealed record OodRow(string Predictor, string OodSet, UncertaintyMeasure Measure, double Auroc, double AuprIn, double AuprOut, double FprAt95Tpr);
