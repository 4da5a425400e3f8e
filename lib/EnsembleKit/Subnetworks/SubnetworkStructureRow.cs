namespace EnsembleKit.Subnetworks;

/// <summary>
/// Connection against neuron pruning at one child sparsity (seed 002 E2.5.2): mean child and ensemble test accuracy in
/// percent of unstructured children (whole weights removed) and structured ones (whole neurons and channels removed).
/// </summary>
public sealed record SubnetworkStructureRow(double Sparsity, double UnstructuredChild, double UnstructuredEnsemble,
    double StructuredChild, double StructuredEnsemble)
{
    /// <summary>Pairs an unstructured and a structured ablation row of the same sparsity.</summary>
    public static SubnetworkStructureRow Of(double sparsity, SubnetworkAblationRow unstructured, SubnetworkAblationRow structured)
    {
        ArgumentNullException.ThrowIfNull(unstructured);
        ArgumentNullException.ThrowIfNull(structured);
        return new(sparsity, unstructured.MeanChildAccuracy, unstructured.EnsembleAccuracy, structured.MeanChildAccuracy, structured.EnsembleAccuracy);
    }
}
