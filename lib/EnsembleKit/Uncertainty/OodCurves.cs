namespace EnsembleKit.Uncertainty;

/// <summary>
/// ROC curve points for a chart, in order of decreasing threshold: point 0 is (0, 0) at threshold +∞, then one point per
/// distinct score value t: <c>Fpr</c> = fraction of OOD scores ≥ t, <c>Tpr</c> = fraction of in-distribution scores ≥ t;
/// the last point is (1, 1). Every point is kept (sklearn's <c>roc_curve(..., drop_intermediate=False)</c>, except that
/// sklearn's first threshold is not +∞ in every version).
/// </summary>
public sealed record RocCurve(double[] Fpr, double[] Tpr, double[] Thresholds);

/// <summary>
/// Precision-recall curve points for a chart, in order of decreasing threshold: point 0 is (Recall 0, Precision 1) at
/// threshold +∞, then one point per distinct score value t: <c>Recall</c> = fraction of positives with score ≥ t,
/// <c>Precision</c> = fraction of positives among all scores ≥ t. The same points as sklearn's
/// <c>precision_recall_curve</c>, which lists them in the reverse order (its threshold-free point last).
/// </summary>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds);

/// <summary>
/// Every OOD-detection number for one pair of score sets (higher = more in-distribution), with the curves behind them.
/// <c>FprAt95Tpr</c> is taken at <c>Fpr95Threshold</c>; <c>PrIn</c> has the in-distribution samples as positives
/// (thresholds are scores), <c>PrOut</c> the OOD samples (thresholds are negated scores).
/// </summary>
public sealed record OodReport(
    double Auroc, double AuprIn, double AuprOut, double FprAt95Tpr, double Fpr95Threshold,
    RocCurve Roc, PrecisionRecallCurve PrIn, PrecisionRecallCurve PrOut);
