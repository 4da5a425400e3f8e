namespace EnsembleKit.Training;

/// <summary>
/// Seed 002's revised one-cycle ("phasic") schedule for tuning children (eqs. 5.4–5.5): warm-up and cool-down only, no
/// annihilation phase, cosine interpolation, updated every step. With the base rate as η_max and phase-local progress:
/// <c>η_warm(t) = η_init + ½(η_max − η_init)(1 − cos(π t / T_warm))</c> over the first <see cref="WarmupFraction"/> of
/// training, then <c>η_cool(t) = η_min + ½(η_max − η_min)(1 + cos(π t / T_cool))</c> to the end (seed-spec §5 item 5: the
/// seed writes T = "total iterations"; the kit uses each phase's own length so the phases join). Defaults are the seed's
/// WRN tuning: 0.001 → base (0.1) at 10 % → 1e-7. The seed's inverse momentum cycle is not applied (the trainer's
/// momentum is constant).
/// </summary>
public sealed record CosineOneCycleSchedule(double WarmupFraction = 0.1, double InitialRate = 0.001, double MinimumRate = 1e-7) : ILearningRateSchedule
{
    public bool PerStep => true;

    public double Rate(double epoch, int totalEpochs, double baseRate)
    {
        if (!(WarmupFraction >= 0 && WarmupFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(WarmupFraction), $"the warm-up fraction must be in [0, 1); got {WarmupFraction}.");
        double progress = Math.Clamp(epoch / totalEpochs, 0, 1);
        if (progress < WarmupFraction)
            return InitialRate + 0.5 * (baseRate - InitialRate) * (1 - Math.Cos(Math.PI * progress / WarmupFraction));
        double t = (progress - WarmupFraction) / (1 - WarmupFraction);
        return MinimumRate + 0.5 * (baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * t));
    }
}
