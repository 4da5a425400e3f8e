namespace EnsembleKit.Subnetworks;

/// <summary>
/// How stochasticity decays over <see cref="Epochs"/> annealing epochs (seed 002 ch. 6, t = epoch, or fractional epoch
/// when <see cref="PerStep"/>). <see cref="Remaining"/> is the fraction of the initial value left at time t, so
/// <c>y(t) = τ_min + (τ_max − τ_min) · Remaining(t)</c> gives seed 002's
/// <c>y_lin = τ_max − (τ_max − τ_min) t/T</c>, <c>y_cos = τ_min + ½(τ_max − τ_min)(1 + cos(π t/T))</c> and
/// <c>y_exp = τ_min + (τ_max − τ_min) e^{−k t/T}</c>.
/// <para><b>Seed-spec §5 item 5:</b> eq. 6.3 prints <c>cos(t/T)</c> without π, which would not reach τ_min at T; the kit uses
/// <c>cos(π t/T)</c>. The exponential does not reach zero at T (k is not in the seed; default 5); like the others it is
/// cut to zero from t = T on, when the subnetwork becomes deterministic.</para>
/// </summary>
public sealed record AnnealingSchedule(int Epochs, AnnealingShape Shape = AnnealingShape.Cosine, double ExponentialRate = 5, bool PerStep = false)
{
    /// <summary>Fraction of the initial stochasticity left at time <paramref name="t"/> (epochs): 1 at t = 0, 0 from t = Epochs on.</summary>
    public double Remaining(double t)
    {
        Validate();
        if (Epochs == 0 || t >= Epochs) return 0;
        if (t <= 0) return 1;
        double x = t / Epochs;
        return Shape switch
        {
            AnnealingShape.Linear => 1 - x,
            AnnealingShape.Cosine => 0.5 * (1 + Math.Cos(Math.PI * x)),
            AnnealingShape.Exponential => Math.Exp(-ExponentialRate * x),
            _ => throw new ArgumentOutOfRangeException(nameof(Shape)),
        };
    }

    /// <summary>Seed 002's <c>y(t)</c> from <paramref name="max"/> down to <paramref name="min"/>.</summary>
    public double Value(double t, double max, double min = 0) => min + (max - min) * Remaining(t);

    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), $"annealing epochs must be >= 0; got {Epochs}.");
        if (!(ExponentialRate > 0) || double.IsInfinity(ExponentialRate))
            throw new ArgumentOutOfRangeException(nameof(ExponentialRate), $"the exponential rate k must be positive and finite; got {ExponentialRate}.");
    }
}
