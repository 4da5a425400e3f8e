using EnsembleKit.Subnetworks;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// How seed 002's four ways to reach a sparse subnetwork treat a removed weight during tuning
    /// (<see cref="AnnealingActivity"/>'s four lines, x every tenth of an epoch from 0 to <paramref name="tuneEpochs"/>):
    /// the probability that it is still active, titled with the target <paramref name="sparsity"/> and ε.
    /// </summary>
    public static GenericChart AnnealingActivity(int tuneEpochs, int epsilon, bool perStep, double sparsity, double temperature) =>
        Lines(LineSeries.AnnealingActivity(tuneEpochs, epsilon, perStep, sparsity, temperature),
            $"Removed weights still active during tuning (target sparsity {sparsity:P0}, ε = {epsilon})", "epoch", "probability a removed weight is active");
}
