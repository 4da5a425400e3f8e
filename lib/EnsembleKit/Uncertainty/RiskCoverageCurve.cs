namespace EnsembleKit.Uncertainty;

/// <summary>
/// Risk-coverage curve of selective prediction: point k - 1 (k = 1..N) accepts the k most confident samples:
/// <c>Coverage[k-1] = k/N</c>, <c>Risk[k-1]</c> = their error rate (expected over the order within ties, see
/// <see cref="SelectivePrediction.RiskCoverage"/>), <c>Confidence[k-1]</c> = the k-th highest confidence.
/// </summary>
public sealed record RiskCoverageCurve(double[] Coverage, double[] Risk, double[] Confidence);

/// <summary>
/// Selective-prediction summary: AURC, the oracle's AURC for the same number of errors, E-AURC = AURC - oracle AURC,
/// accuracy at 50 / 90 / 95 / 99 % coverage, and the curve behind them.
/// </summary>
public sealed record SelectiveReport(
    double Aurc, double OracleAurc, double EAurc,
    double AccuracyAt50, double AccuracyAt90, double AccuracyAt95, double AccuracyAt99,
    RiskCoverageCurve Curve);
