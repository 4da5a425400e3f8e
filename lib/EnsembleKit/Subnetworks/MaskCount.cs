namespace EnsembleKit.Subnetworks;

/// <summary>Kept and total entries of one masked tensor.</summary>
public sealed record MaskCount(string Name, long Kept, long Total)
{
    public double Sparsity => Total == 0 ? 0 : 1 - (double)Kept / Total;
}
