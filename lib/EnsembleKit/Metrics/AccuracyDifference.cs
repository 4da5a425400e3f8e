namespace EnsembleKit.Metrics;

/// <summary>
/// A paired accuracy comparison of predictors A and B on <see cref="Count"/> rows (<see cref="Metric.PairedAccuracyDifference"/>):
/// <see cref="Difference"/> = accuracy(A) − accuracy(B) as a fraction, its paired <see cref="StandardError"/>, and the rows only
/// A (<see cref="OnlyA"/>) or only B (<see cref="OnlyB"/>) classifies correctly.
/// </summary>
public sealed record AccuracyDifference(double Difference, double StandardError, long OnlyA, long OnlyB, long Count)
{
    /// <summary>True when A is at most <paramref name="standardErrors"/> standard errors below B: "A matches or beats B" within sampling noise.</summary>
    public bool NotWorseThan(double standardErrors = 1) => Difference >= -standardErrors * StandardError;
}
