namespace EnsembleKit.Training;

/// <summary>
/// Snapshot ensembles' schedule (Huang et al. 2017, seed 004): M cosine cycles, each restarting at the base
/// rate and annealing to <see cref="MinimumRate"/>: <c>a(t) = min + (a0 - min)/2 (cos(pi mod(t, L) / L) + 1)</c>
/// with cycle length <c>L = T / M</c>, evaluated every step (the paper's <c>mod(t-1, ceil(T/M))</c> in iterations,
/// written here in fractional epochs). The paper has no floor; <see cref="MinimumRate"/> = 0 reproduces it.
/// </summary>
public sealed record CyclicCosineSchedule(int Cycles, double MinimumRate = 0.0) : ILearningRateSchedule
{
    public bool PerStep => true;

    public double Rate(double epoch, int totalEpochs, double baseRate)
    {
        if (Cycles <= 0 || Cycles > totalEpochs)
            throw new ArgumentOutOfRangeException(nameof(Cycles), $"cycles must be between 1 and the {totalEpochs} epochs; got {Cycles}.");
        double length = (double)totalEpochs / Cycles;
        double position = epoch % length;
        return MinimumRate + (baseRate - MinimumRate) / 2 * (Math.Cos(Math.PI * position / length) + 1);
    }

    /// <summary>True when <paramref name="epoch"/> (0-based, just finished) ends a cycle: the snapshot points.</summary>
    public bool EndsCycle(int epoch, int totalEpochs) =>
        Math.Abs((epoch + 1) * Cycles % totalEpochs) == 0;
}
