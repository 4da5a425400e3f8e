using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// One setting of a sparse-subnetwork ablation: how many children, how sparse (mean weight sparsity, 4 decimals), their
/// non-zero parameters (the first child's and all together), and test accuracy in percent (2 decimals) of the mean child
/// and of the ensemble (mean of probabilities, as <see cref="SmallBudgetComparison.Score"/>).
/// </summary>
public sealed record SubnetworkAblationRow(string Setting, int Children, double ChildWeightSparsity, long NonZeroPerChild, long TotalNonZero,
    double MeanChildAccuracy, double EnsembleAccuracy)
{
    /// <summary>Scores <paramref name="ensemble"/>'s children on <paramref name="test"/> under the name <paramref name="setting"/>.</summary>
    public static SubnetworkAblationRow Of<TModel>(string setting, SubnetworkEnsemble<TModel> ensemble, TensorDataset test) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(test);
        using var logits = ensemble.MemberLogits(test);
        var row = SmallBudgetComparison.Score(test.Name, setting, logits, test);
        var report = ensemble.Report();
        return new(setting, ensemble.Count, Math.Round(report.Children.Average(c => c.WeightSparsity), 4), report.Children[0].NonZero, report.TotalNonZero,
            Math.Round(row.MemberAccuracy, 2), Math.Round(row.Accuracy, 2));
    }
}
