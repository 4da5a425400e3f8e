using EnsembleKit.Training;

namespace EnsembleKit.Plotting;

public sealed partial record LineSeries
{
    /// <summary>
    /// A learning-rate schedule drawn over a run of <paramref name="epochs"/> epochs: the rate
    /// <c>schedule.Rate(e, epochs, baseRate)</c> at e = i / <paramref name="pointsPerEpoch"/> for i = 0, 1, ... up to
    /// <c>epochs · pointsPerEpoch</c> (excluded, or included with <paramref name="includeEnd"/>), drawn at x =
    /// <paramref name="offset"/> + e (a phase that starts after <paramref name="offset"/> epochs of an earlier one).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> or <paramref name="pointsPerEpoch"/> is not positive.</exception>
    public static LineSeries OfSchedule(string name, ILearningRateSchedule schedule, int epochs, double baseRate, int pointsPerEpoch = 20,
        bool includeEnd = false, double offset = 0)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pointsPerEpoch);
        double points = pointsPerEpoch;
        var grid = Enumerable.Range(0, epochs * pointsPerEpoch + (includeEnd ? 1 : 0)).Select(i => i / points).ToList();
        return new LineSeries(name, grid.Select(e => offset + e).ToList(), grid.Select(e => schedule.Rate(e, epochs, baseRate)).ToList());
    }
}
