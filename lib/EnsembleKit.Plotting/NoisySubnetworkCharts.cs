using EnsembleKit.Subnetworks;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// A value of every point of a trust-region grid as a heatmap: rows the mutation sparsities ("0 (dense)", "0.5", ...),
    /// columns the noise strengths, each cell printed with <paramref name="valueFormat"/>.
    /// </summary>
    public static GenericChart TrustRegionGrid(TrustRegionResult grid, Func<TrustRegionPoint, double> value, string title, string valueName, string valueFormat = "F2")
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(value);
        var sparsities = grid.Sparsities.Select(s => s == 0 ? "0 (dense)" : s.ToString("0.##")).ToList();
        var strengths = grid.Strengths.Select(s => s.ToString("0.###")).ToList();
        return GridHeatmap(grid.Grid(value), sparsities, strengths, title, "noise strength σ", "mutation sparsity (fraction unperturbed)", valueName,
            valueFormat: valueFormat);
    }

    /// <summary>Test accuracy (percent) against σ of the noisy ensembles of <see cref="Subnetworks.AverageVersusVote.Sweep"/>: averaged, voted, and the mean member.</summary>
    public static GenericChart AverageVersusVote(IReadOnlyList<AverageVersusVotePoint> sweep, string title)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return Lines(
        [
            LineSeries.Of("average of probabilities", sweep, v => v.Sigma, v => v.AverageAccuracy * 100),
            LineSeries.Of("majority vote", sweep, v => v.Sigma, v => v.VoteAccuracy * 100),
            LineSeries.Of("mean member", sweep, v => v.Sigma, v => v.MeanMemberAccuracy * 100),
        ], title, "σ", "test accuracy, %");
    }

    /// <summary>
    /// Seed 002's "accuracy loss grows about linearly with the KL": one line per mutation sparsity of
    /// <paramref name="grid"/> ("dense", "sparsity 0.5", ...), points by increasing σ, x the mean KL(parent ‖ child) and y
    /// the children's mean accuracy drop in points (<see cref="TrustRegionResult.AccuracyDrop"/>).
    /// </summary>
    public static GenericChart AccuracyDropAgainstKl(TrustRegionResult grid, string title)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Lines(BySparsity(grid, p => p.MeanKl, grid.AccuracyDrop), title, "mean KL(parent ‖ child)", "parent accuracy − child accuracy, points");
    }

    /// <summary>The mean KL(parent ‖ child) against σ, one line per mutation sparsity of <paramref name="grid"/> (as <see cref="AccuracyDropAgainstKl"/>).</summary>
    public static GenericChart KlAgainstSigma(TrustRegionResult grid, string title)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Lines(BySparsity(grid, p => p.Sigma, p => p.MeanKl), title, "σ", "mean KL(parent ‖ child)");
    }

    // One series per sparsity of the grid, in the grid's order, labelled "dense" for 0.
    static IEnumerable<LineSeries> BySparsity(TrustRegionResult grid, Func<TrustRegionPoint, double> x, Func<TrustRegionPoint, double> y) =>
        grid.Sparsities.Select(s => LineSeries.Of(s == 0 ? "dense" : $"sparsity {s:0.##}", grid.AtSparsity(s), x, y)).ToList();
}
