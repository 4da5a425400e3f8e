namespace EnsembleKit.Training;

/// <summary>
/// Fast geometric ensembling's schedule (Garipov et al. 2018, seed 004): within each cycle of
/// <see cref="CycleEpochs"/> epochs, <c>t = (mod(i, c) + 1)/c</c> rises from 0 to 1 and the rate goes linearly
/// from <see cref="HighRate"/> (a1) down to <see cref="LowRate"/> (a2) at mid-cycle and back:
/// <c>a = (1 - 2t) a1 + 2t a2</c> for <c>t &lt;= 1/2</c>, <c>a = (2 - 2t) a2 + (2t - 1) a1</c> after.
/// The trainer's base rate is ignored. FGE collects a model at each mid-cycle (the rate minimum).
/// </summary>
public sealed record TriangularCyclicSchedule(double HighRate, double LowRate, double CycleEpochs) : ILearningRateSchedule
{
    public bool PerStep => true;

    public double Rate(double epoch, int totalEpochs, double baseRate)
    {
        if (!(CycleEpochs > 0)) throw new ArgumentOutOfRangeException(nameof(CycleEpochs), $"cycle length must be positive; got {CycleEpochs}.");
        double t = (epoch % CycleEpochs) / CycleEpochs;
        return t <= 0.5 ? (1 - 2 * t) * HighRate + 2 * t * LowRate : (2 - 2 * t) * LowRate + (2 * t - 1) * HighRate;
    }
}
