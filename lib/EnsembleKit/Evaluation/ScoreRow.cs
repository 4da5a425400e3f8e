namespace EnsembleKit.Evaluation;

/// <summary>
/// One predictor's scores on a test set: a member or the ensemble. <see cref="Accuracy"/> is a fraction in [0, 1];
/// <see cref="CalibratedNll"/> is the two-fold temperature-scaled NLL (<see cref="Metrics.TemperatureScaling.TwoFoldCalibratedNll"/>).
/// </summary>
public sealed record ScoreRow(string Name, int Members, double Accuracy, double Nll, double Ece, double Brier, double CalibratedNll)
{
    /// <summary>Error in percent, as the papers' tables print it.</summary>
    public double ErrorPercent => (1 - Accuracy) * 100;

    /// <summary>The four scores a <see cref="Metrics.ClassificationReport"/> holds (what <c>Charts.MetricBars</c> draws).</summary>
    public Metrics.ClassificationReport ToReport() => new(Name, Accuracy, Nll, Ece, Brier);
}
