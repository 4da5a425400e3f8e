using EnsembleKit.Metrics;
using EnsembleKit.Plotting;
using EnsembleKit.Subnetworks;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 09's paper-vs-run table, from hand-made grids, searches, scores and a vote sweep.</summary>
public sealed class NoisySubnetworkTablesTests
{
    // Parent 95 %. Dense children lose 0.5, 2 and 15 points at σ 0.025, 0.05, 0.1; 90 %-sparse ones 0, 0.2 and 0.8.
    // KL is a tenth of the drop, so over KL ≤ 0.5 (all but the collapsed point) the two correlate exactly.
    static readonly TrustRegionResult SpiralGrid = new(
    [
        new(0.025, 0.0, 0.05, 0, 0.945, false), new(0.05, 0.0, 0.2, 0, 0.93, false), new(0.1, 0.0, 1.5, 0, 0.80, false),
        new(0.025, 0.9, 0.0, 0, 0.95, true), new(0.05, 0.9, 0.02, 0, 0.948, false), new(0.1, 0.9, 0.08, 0, 0.942, false),
    ], Bound: 0.02, ParentAccuracy: 0.95);

    static readonly TrustRegionResult SpiralSearch = new([new(0.025, 0.0, 0.019, 0, 0.95, true), new(0.05, 0.0, 0.03, 0, 0.94, false)], 0.02, 0.95);
    static readonly TrustRegionResult ImageSearch = new([new(0.02, 0.5, 0.011, 0, 0.9, true), new(0.03, 0.5, 0.0175, 0, 0.89, true)], 0.02, 0.9);

    static SubnetworkScores Scores(double parent, double member1, double member2, double ensemble, double parentNll, double ensembleNll, double kl, AccuracyDifference versusParent) =>
        new([new("parent", parent, parentNll, 0, 0), new("member 1", member1, 1, 0, 0), new("member 2", member2, 1, 0, 0),
             new(SubnetworkScores.Algorithm1Name, ensemble, ensembleNll, 0, 0)], 2, kl, versusParent);

    static readonly SubnetworkScores SpiralScores = Scores(0.952, 0.955, 0.951, 0.964, 0.2, 0.1, 0.0123, new(0.012, 0.009, 3, 1, 125));
    static readonly SubnetworkScores ImageScores = Scores(0.8978, 0.8923, 0.8923, 0.8988, 0.30, 0.28, 0.0191, new(0.001, 0.0012, 20, 15, 5000));
    static readonly AverageVersusVotePoint[] Votes = [new(0.01, 0.01, 0.89, 0.9, 0.9), new(0.2, 0.456, 0.7, 0.80, 0.7875)];

    [Fact]
    public void EachRowReadsItsQuantityFromTheRun()
    {
        var frame = Tables.NoisySubnetworkVersusPaper(SpiralGrid, SpiralSearch, SpiralScores, ImageSearch, ImageScores, Votes);
        Assert.Equal(["Quantity", "Paper", "ThisRun"], frame.Columns.Select(c => c.Name));
        var thisRun = frame.Columns["ThisRun"].Cast<string>().ToList();
        Assert.Equal(
        [
            "0.025",                              // dense: 0.05 already costs 2 points
            "0.1",                                // 90 % sparse: 0.8 points at the largest σ
            "Pearson r = 1.00 (KL ≤ 0.5)",
            "0.02",
            "(0.025, 0), KL 0.012",               // the search's accepted setting, the scores' member KL
            "95.2 → 95.3 → 96.4",
            "0.03, KL 0.019",                     // the accepted setting with the larger KL
            "89.78 → 89.23 → 89.88 (+0.10 ± 0.12)",
            "0.3000 → 0.2800",
            "+1.25 points (KL 0.46)",             // the last σ of the sweep: 80 − 78.75
        ], thisRun);
        Assert.Equal("spiral: tolerated σ, sparsity 0.9", frame.Columns["Quantity"][1]);
        Assert.Equal("image task: average − vote at the strongest σ (0.2)", frame.Columns["Quantity"][9]);
    }

    [Fact]
    public void MissingPiecesAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => Tables.NoisySubnetworkVersusPaper(null!, SpiralSearch, SpiralScores, ImageSearch, ImageScores, Votes));
        Assert.Throws<ArgumentNullException>(() => Tables.NoisySubnetworkVersusPaper(SpiralGrid, SpiralSearch, SpiralScores, ImageSearch, null!, Votes));
        Assert.Throws<ArgumentException>(() => Tables.NoisySubnetworkVersusPaper(SpiralGrid, SpiralSearch, SpiralScores, ImageSearch, ImageScores, []));
        // A search that accepted nothing has no setting to report.
        var rejected = new TrustRegionResult([new(0.05, 0.0, 0.5, 0, 0.9, false)], 0.02, 0.95);
        Assert.Throws<InvalidOperationException>(() => Tables.NoisySubnetworkVersusPaper(SpiralGrid, rejected, SpiralScores, ImageSearch, ImageScores, Votes));
    }
}
