using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>One child of <see cref="PrunedChildren.Make"/>: the parent with its mask applied, the same tuned with the mask held, and the tuning's history.</summary>
public sealed record PrunedChild<TModel>(TModel Pruned, TModel Tuned, TrainingHistory Tuning) : IDisposable where TModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Disposes both models.</summary>
    public void Dispose()
    {
        Pruned.Dispose();
        Tuned.Dispose();
    }
}
