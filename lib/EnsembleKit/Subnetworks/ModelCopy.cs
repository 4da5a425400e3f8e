using EnsembleKit.Backend;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>Copies of a parent network for its children.</summary>
internal static class ModelCopy
{
    /// <summary>A new model from <paramref name="create"/> on the parent's device, holding the parent's state (parameters and buffers).</summary>
    internal static TModel Clone<TModel>(TModel parent, Func<TModel> create) where TModel : nn.Module
    {
        var child = create();
        if (ReferenceEquals(child, parent)) throw new ArgumentException("create() returned the parent itself; it must build a new model.", nameof(create));
        child.to(ModelDevice.Of(parent));
        var source = ModelState.Copy(parent);
        try
        {
            ModelState.Load(child, source, "the parent");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the model from create() does not fit the parent: {e.Message}", nameof(create), e);
        }
        finally
        {
            ModelState.Dispose(source);
        }
        child.train(parent.training);
        return child;
    }

}
