namespace EnsembleKit.Training;

/// <summary>
/// Stochastic weight averaging's schedule (Izmailov et al. 2018): the base rate for the first half of
/// training (<see cref="SwaStartFraction"/>), a linear decay to <see cref="SwaRate"/> until 90% of that point,
/// then constant <see cref="SwaRate"/> while the average is collected:
/// <c>a = base</c> for <c>p &lt;= 0.5 s</c>; <c>a = base (1 - (1 - r/base)(p - 0.5 s)/(0.4 s))</c> for <c>p &lt;= 0.9 s</c>; else <c>r</c>,
/// where <c>p</c> is the fraction of training done and <c>s</c> the start fraction.
/// </summary>
public sealed record SwaSchedule(double SwaRate, double SwaStartFraction = 0.75) : ILearningRateSchedule
{
    public bool PerStep => false;

    public double Rate(double epoch, int totalEpochs, double baseRate)
    {
        double p = epoch / totalEpochs, s = SwaStartFraction;
        if (p <= 0.5 * s) return baseRate;
        if (p <= 0.9 * s) return baseRate * (1 - (1 - SwaRate / baseRate) * (p - 0.5 * s) / (0.4 * s));
        return SwaRate;
    }

    /// <summary>The first epoch (0-based) whose weights join the average.</summary>
    public int StartEpoch(int totalEpochs) => (int)Math.Ceiling(SwaStartFraction * totalEpochs);
}
