namespace EnsembleKit.Subnetworks;

/// <summary>
/// One child's size: all parameters and how many are nonzero, plus the same over its weights (parameters with
/// dim &gt;= 2, the tensors masks act on by default).
/// </summary>
public sealed record SubnetworkSize(string Label, long Parameters, long NonZero, long Weights, long NonZeroWeights)
{
    /// <summary>Fraction of all parameters that are zero.</summary>
    public double Sparsity => Parameters == 0 ? 0 : 1 - (double)NonZero / Parameters;
    /// <summary>Fraction of weights (dim &gt;= 2) that are zero.</summary>
    public double WeightSparsity => Weights == 0 ? 0 : 1 - (double)NonZeroWeights / Weights;
}
