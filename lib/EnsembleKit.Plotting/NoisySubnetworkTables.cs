using EnsembleKit.Subnetworks;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Seed 002's chapter 4 (noisy subnetwork ensembles) beside what a run measured, one row a quantity: Quantity, Paper
    /// (its words or Table 4.1's range) and ThisRun (text). The spiral rows read the test-set grid
    /// (<paramref name="spiralGrid"/>: tolerated σ, dense and at its highest sparsity; Pearson's r of KL and accuracy drop
    /// for KL ≤ 0.5), the validation search's bound and choice, and the ensemble's scores; the image-task rows read its
    /// search, its scores and the strongest σ of the average-versus-vote sweep.
    /// </summary>
    public static DataFrame NoisySubnetworkVersusPaper(TrustRegionResult spiralGrid, TrustRegionResult spiralSearch, SubnetworkScores spiralScores,
        TrustRegionResult imageSearch, SubnetworkScores imageScores, IReadOnlyList<AverageVersusVotePoint> voteSweep)
    {
        ArgumentNullException.ThrowIfNull(spiralGrid);
        ArgumentNullException.ThrowIfNull(spiralSearch);
        ArgumentNullException.ThrowIfNull(spiralScores);
        ArgumentNullException.ThrowIfNull(imageSearch);
        ArgumentNullException.ThrowIfNull(imageScores);
        ArgumentNullException.ThrowIfNull(voteSweep);
        if (voteSweep.Count == 0) throw new ArgumentException("the average-versus-vote sweep has no points.", nameof(voteSweep));
        double sparsest = spiralGrid.Sparsities.Max();
        var (klDropCorrelation, _) = spiralGrid.KlDropCorrelation(maxKl: 0.5);
        var spiralSetting = spiralSearch.Require();
        var imageSetting = imageSearch.Require();
        var strongest = voteSweep[^1];
        static string Path(SubnetworkScores s, string format) =>
            $"{(s.Parent.Accuracy * 100).ToString(format)} → {(s.MeanMemberAccuracy * 100).ToString(format)} → {(s.Algorithm1.Accuracy * 100).ToString(format)}";
        return ToDataFrame(new[]
        {
            new { Quantity = "spiral: tolerated σ (≤ 1 point lost), dense mutation", Paper = "\"collapse quickly\" (figure)", ThisRun = $"{spiralGrid.ToleratedSigma(0.0)}" },
            new { Quantity = $"spiral: tolerated σ, sparsity {sparsest}", Paper = "tolerates larger σ (figure)", ThisRun = $"{spiralGrid.ToleratedSigma(sparsest)}" },
            new { Quantity = "spiral: KL vs accuracy drop", Paper = "≈ linear (WRN figure)", ThisRun = $"Pearson r = {klDropCorrelation:F2} (KL ≤ 0.5)" },
            new { Quantity = "trust-region bound Δ", Paper = "≈ 0.02 (ImageNet)", ThisRun = $"{spiralSearch.Bound}" },
            new { Quantity = "spiral: chosen (σ, sparsity), member test KL", Paper = "not given", ThisRun = $"({spiralSetting.Sigma}, {spiralSetting.Sparsity}), KL {spiralScores.MeanMemberKl:F3}" },
            new { Quantity = "spiral: parent → mean member → ensemble, test acc. %", Paper = "not given", ThisRun = Path(spiralScores, "F1") },
            new { Quantity = "image task: chosen σ (sparsity 0.5), member test KL", Paper = "Table 4.1: σ 0.0007–0.0025, KL̄ 0.026–0.052", ThisRun = $"{imageSetting.Sigma}, KL {imageScores.MeanMemberKl:F3}" },
            new { Quantity = "image task: parent → mean member → ensemble, test acc. %", Paper = "Table 4.1 (ImageNet): ensemble − parent = +0.02 to +0.41", ThisRun = $"{Path(imageScores, "F2")} ({imageScores.VersusParent.Difference * 100:+0.00;-0.00} ± {imageScores.VersusParent.StandardError * 100:F2})" },
            new { Quantity = "image task: parent → ensemble NLL", Paper = "Table 4.1: lower for 9 of 10 models (SqueezeNet equal)", ThisRun = $"{imageScores.Parent.Nll:F4} → {imageScores.Algorithm1.Nll:F4}" },
            new { Quantity = $"image task: average − vote at the strongest σ ({strongest.Sigma})", Paper = "averaging more stable (WRN figure)", ThisRun = $"{strongest.AverageAccuracy * 100 - strongest.VoteAccuracy * 100:+0.00;-0.00} points (KL {strongest.MeanKl:F2})" },
        });
    }
}
