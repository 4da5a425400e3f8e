namespace EnsembleKit.Ensembles;

/// <summary>
/// The outcome of <see cref="LaplacePosterior.TunePriorPrecision"/>: the grid of prior precisions λ, the validation NLL
/// (nats) of the predictive at each, and the λ with the lowest (the first on ties).
/// </summary>
public sealed record PriorPrecisionSearch(IReadOnlyList<double> Grid, IReadOnlyList<double> ValidationNll, double Chosen)
{
    /// <summary>The default grid: 21 values log-spaced from 1e-4 to 1e4, <c>10^(−4 + 0.4 i)</c> for i = 0..20.</summary>
    public static IReadOnlyList<double> DefaultGrid { get; } = Enumerable.Range(0, 21).Select(i => Math.Pow(10, -4 + 0.4 * i)).ToArray();
}
