using EnsembleKit.Subnetworks;

namespace EnsembleKit.Plotting;

public sealed partial record LineSeries
{
    /// <summary>
    /// The probability that a removed weight is active at epoch t = 0, 0.1, ..., <paramref name="tuneEpochs"/>, one line
    /// per method: one-shot pruning (0 throughout); iterative pruning in equal steps at epoch starts
    /// (<c>1 − (⌊t⌋ + 1)/ε</c> before ε, then 0); random annealing, the mean over removed weights (linear
    /// <see cref="AnnealingSchedule"/> from <paramref name="sparsity"/>/2); temperature annealing (cosine from
    /// <paramref name="temperature"/> = τ₀). Without <paramref name="perStep"/> the annealed values hold each epoch's
    /// start value.
    /// </summary>
    /// <param name="tuneEpochs">Tuning epochs on the x axis, at least 1.</param>
    /// <param name="epsilon">Pruning / annealing epochs ε, at least 1.</param>
    /// <param name="perStep">Annealed every step (a smooth line) rather than every epoch (a staircase).</param>
    /// <param name="sparsity">Target sparsity in [0, 1].</param>
    /// <param name="temperature">τ₀ of temperature annealing in [0, 1].</param>
    public static IReadOnlyList<LineSeries> AnnealingActivity(int tuneEpochs, int epsilon, bool perStep, double sparsity, double temperature)
    {
        if (tuneEpochs < 1) throw new ArgumentOutOfRangeException(nameof(tuneEpochs), $"need at least one tuning epoch; got {tuneEpochs}.");
        if (epsilon < 1) throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε must be at least 1; got {epsilon}.");
        if (!(sparsity >= 0 && sparsity <= 1)) throw new ArgumentOutOfRangeException(nameof(sparsity), $"sparsity must lie in [0, 1]; got {sparsity}.");
        if (!(temperature >= 0 && temperature <= 1)) throw new ArgumentOutOfRangeException(nameof(temperature), $"τ₀ must lie in [0, 1]; got {temperature}.");
        var ts = Enumerable.Range(0, 10 * tuneEpochs + 1).Select(i => i / 10.0).ToList();
        var linear = new AnnealingSchedule(epsilon, AnnealingShape.Linear, PerStep: perStep);
        var cosine = new AnnealingSchedule(epsilon, AnnealingShape.Cosine, PerStep: perStep);
        double Clock(double t) => perStep ? t : Math.Floor(t);
        return
        [
            new LineSeries("one-shot", ts, ts.Select(_ => 0.0).ToList()),
            new LineSeries("iterative (equal steps at epoch starts)", ts, ts.Select(t => t >= epsilon ? 0.0 : 1 - (Math.Floor(t) + 1) / epsilon).ToList()),
            new LineSeries("random annealing (mean over removed weights)", ts, ts.Select(t => linear.Value(Clock(t), sparsity / 2)).ToList()),
            new LineSeries($"temperature annealing, τ₀ = {temperature}", ts, ts.Select(t => cosine.Value(Clock(t), temperature)).ToList()),
        ];
    }
}
