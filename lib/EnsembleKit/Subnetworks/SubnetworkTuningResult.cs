using EnsembleKit.Training;

namespace EnsembleKit.Subnetworks;

/// <summary>A tuned child's history and its final subnetwork mask (owned by the result; dispose it or take it).</summary>
public sealed record SubnetworkTuningResult(TrainingHistory History, SubnetworkMask Mask) : IDisposable
{
    public void Dispose() => Mask.Dispose();
}
