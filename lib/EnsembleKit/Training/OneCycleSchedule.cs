namespace EnsembleKit.Training;

/// <summary>
/// One-cycle (Smith 2018), as used for tuning pruned children (seed 002, "phasic" schedule): a linear warm-up
/// from <c>base/DivFactor</c> to the base rate over the first <see cref="WarmupFraction"/> of training, then a
/// linear decay to <c>base/FinalDivFactor</c> at the end. Evaluated every step.
/// </summary>
public sealed record OneCycleSchedule(double WarmupFraction = 0.3, double DivFactor = 25, double FinalDivFactor = 1e4) : ILearningRateSchedule
{
    public bool PerStep => true;

    public double Rate(double epoch, int totalEpochs, double baseRate)
    {
        double progress = Math.Clamp(epoch / totalEpochs, 0, 1);
        double start = baseRate / DivFactor, end = baseRate / FinalDivFactor;
        return progress < WarmupFraction
            ? start + (baseRate - start) * progress / WarmupFraction
            : baseRate + (end - baseRate) * (progress - WarmupFraction) / (1 - WarmupFraction);
    }
}
