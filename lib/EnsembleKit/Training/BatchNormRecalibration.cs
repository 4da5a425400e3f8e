using EnsembleKit.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// Recomputes batch-norm running statistics after the weights changed without training (weight averaging,
/// SWA, permutation alignment): the statistics are reset and accumulated as a plain average over one pass of
/// the <c>data</c> passed to <see cref="Recompute"/> in train mode, without gradients.
/// </summary>
public static class BatchNormRecalibration
{
    /// <summary>The batch-norm layers of <paramref name="model"/>.</summary>
    public static IReadOnlyList<BatchNorm> Layers(nn.Module model) => model.modules().OfType<BatchNorm>().ToList();

    /// <summary>Returns false (and does nothing) when the model has no batch norm.</summary>
    public static bool Recompute(nn.Module<Tensor, Tensor> model, EnsembleKit.Data.TensorDataset data, int batchSize = 256)
    {
        var layers = Layers(model);
        if (layers.Count == 0) return false;
        var momenta = layers.Select(l => l.momentum).ToList();
        bool wasTraining = model.training;
        try
        {
            foreach (var layer in layers)
            {
                layer.reset_running_stats();
                layer.momentum = null; // cumulative average over the pass
            }
            model.train();
            using var _ = no_grad();
            foreach (var batch in new BatchLoader(data, batchSize, shuffle: false).Epoch())
            {
                using var __ = batch;
                using var scope = NewDisposeScope();
                model.forward(batch.Inputs);
            }
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++) layers[i].momentum = momenta[i];
            model.train(wasTraining);
        }
        return true;
    }
}
