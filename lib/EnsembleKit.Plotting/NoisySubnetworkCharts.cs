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
}
