using EnsembleKit.Metrics;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Calibration error three ways for each predictor (notebook 01): Predictor, Ece (equal-width bins,
    /// <see cref="Metric.ExpectedCalibrationError"/>), AdaptiveEce (equal-mass bins, <see cref="Metric.AdaptiveCalibrationError"/>)
    /// and ClasswiseEce (<see cref="Metric.ClasswiseCalibrationError"/>), 15 bins each, rounded to 4 decimals.
    /// Each predictor's probabilities are <c>[N, C]</c>; <paramref name="targets"/> are int64 <c>[N]</c>.
    /// </summary>
    public static DataFrame CalibrationErrors(IEnumerable<(string Name, Tensor Probs)> predictors, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictors);
        ArgumentNullException.ThrowIfNull(targets);
        var rows = predictors.Select(p => new
        {
            Predictor = p.Name,
            Ece = Math.Round(Metric.ExpectedCalibrationError(p.Probs, targets), 4),
            AdaptiveEce = Math.Round(Metric.AdaptiveCalibrationError(p.Probs, targets), 4),
            ClasswiseEce = Math.Round(Metric.ClasswiseCalibrationError(p.Probs, targets), 4),
        }).ToList();
        if (rows.Count == 0) throw new ArgumentException("no predictors to score.", nameof(predictors));
        return ToDataFrame(rows);
    }
}
