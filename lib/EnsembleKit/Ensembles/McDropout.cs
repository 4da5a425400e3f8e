using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Monte Carlo dropout (Gal and Ghahramani 2016; seed 004): T stochastic forward passes with dropout on and
/// everything else (batch norm) in eval mode; the passes are the members.
/// </summary>
public static class McDropout
{
    /// <summary>The dropout layers of a model.</summary>
    public static IReadOnlyList<nn.Module> DropoutLayers(nn.Module model) =>
        model.modules().Where(m => m.GetType().Name.StartsWith("Dropout", StringComparison.Ordinal) || m.GetType().Name == "AlphaDropout").ToList();

    /// <summary>Logits <c>[T, N, C]</c> of <paramref name="samples"/> dropout passes, pass t seeded with <c>seed + t</c>.</summary>
    public static Tensor SampleLogits(nn.Module<Tensor, Tensor> model, TensorDataset data, int samples, long seed = 0, int batchSize = 1000)
    {
        TorchRuntime.EnsureInitialized();
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        Predict.RequireBatches(data.Count, batchSize);
        var dropout = DropoutLayers(model);
        if (dropout.Count == 0) throw new ArgumentException($"{model.GetName()} has no dropout layers: MC dropout would repeat one deterministic prediction.", nameof(model));
        bool wasTraining = model.training;
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var passes = new List<Tensor>();
            for (int t = 0; t < samples; t++)
            {
                manual_seed(seed + t);
                using var passScope = NewDisposeScope();   // a pass keeps only its concatenated logits
                var parts = new List<Tensor>();
                for (long start = 0; start < data.Count; start += batchSize)
                {
                    model.eval();
                    foreach (var layer in dropout) layer.train();
                    parts.Add(model.forward(data.Inputs.narrow(0, start, Math.Min(batchSize, data.Count - start))));
                }
                passes.Add(cat(parts, 0).MoveToOuterDisposeScope());
            }
            return stack(passes, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
