namespace EnsembleKit.Training;

/// <summary>
/// Step decay: the base rate multiplied by <see cref="Factor"/> at each milestone, given as fractions of
/// training (e.g. 0.5 and 0.75 with factor 0.1, the schedule of ResNet/WRN papers).
/// </summary>
public sealed record StepDecaySchedule(double Factor, params double[] Milestones) : ILearningRateSchedule
{
    public bool PerStep => false;

    public double Rate(double epoch, int totalEpochs, double baseRate) =>
        baseRate * Math.Pow(Factor, Milestones.Count(m => epoch >= m * totalEpochs));
}
