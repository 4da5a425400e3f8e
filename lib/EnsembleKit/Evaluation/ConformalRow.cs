using EnsembleKit.Uncertainty;

namespace EnsembleKit.Evaluation;

/// <summary>
/// One predictor's split conformal sets under one <see cref="ConformalScore"/> at miscoverage <see cref="Alpha"/>
/// (<see cref="ConformalEvaluation"/>): the empirical coverage on the test half (a fraction; the target is ≥ 1 − α), the
/// mean set size in classes, the fraction of empty sets, and the calibrated threshold (+∞ when every set is all classes).
/// </summary>
public sealed record ConformalRow(string Predictor, int Members, ConformalScore Score, double Alpha, double Coverage, double MeanSetSize,
    double EmptyFraction, double Threshold);
