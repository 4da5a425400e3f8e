using EnsembleKit.Metrics;
using Plotly.NET;
using static TorchSharp.torch;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// <see cref="ReliabilityDiagram"/> of predictors given by their probabilities <c>[N, C]</c> against int64
    /// <paramref name="targets"/> <c>[N]</c>: each binned by <see cref="Metric.ReliabilityBins"/> (15 bins), default title.
    /// </summary>
    public static GenericChart ReliabilityDiagramOf(IEnumerable<(string Name, Tensor Probs)> predictors, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(predictors);
        ArgumentNullException.ThrowIfNull(targets);
        return ReliabilityDiagram(predictors.Select(p => (p.Name, Metric.ReliabilityBins(p.Probs, targets))).ToList());
    }
}
