namespace EnsembleKit.Training;

/// <summary>
/// A learning-rate schedule as a pure function of training progress. The epoch argument of
/// <see cref="Rate"/> is fractional (epoch index plus the fraction of its steps done) when
/// <see cref="PerStep"/> is true, and the whole epoch index otherwise.
/// </summary>
public interface ILearningRateSchedule
{
    /// <summary>True to update the rate every step; false to update at the start of each epoch.</summary>
    bool PerStep { get; }
    double Rate(double epoch, int totalEpochs, double baseRate);
}

/// <summary>A constant rate.</summary>
public sealed record ConstantSchedule : ILearningRateSchedule
{
    public bool PerStep => false;
    public double Rate(double epoch, int totalEpochs, double baseRate) => baseRate;
}

/// <summary>
/// Cosine annealing stepped once per epoch, as PyTorch's <c>CosineAnnealingLR(T_max=epochs)</c> with
/// <c>scheduler.step()</c> after each epoch (seed 000): <c>lr_e = min + (base - min)(1 + cos(pi e / T)) / 2</c>.
/// </summary>
public sealed record CosineAnnealingSchedule(double MinimumRate = 0.0) : ILearningRateSchedule
{
    public bool PerStep => false;
    public double Rate(double epoch, int totalEpochs, double baseRate) =>
        MinimumRate + (baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * epoch / totalEpochs)) / 2;
}
