using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>Batched inference in eval mode without gradients.</summary>
public static class Predict
{
    /// <summary>Logits <c>[N, C]</c> of <paramref name="model"/> on every row of <paramref name="data"/>.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000) =>
        Logits(model, data.Inputs, batchSize);

    /// <summary>Logits <c>[N, C]</c> of <paramref name="model"/> on <paramref name="inputs"/> <c>[N, ...]</c>.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor inputs, int batchSize = 1000) =>
        Batched(model, model.forward, inputs, batchSize);

    /// <summary>
    /// Fraction in [0, 1] of <paramref name="data"/>'s rows that <paramref name="model"/> classifies correctly: its
    /// <see cref="Logits(nn.Module{Tensor, Tensor}, TensorDataset, int)"/> scored by <see cref="Metrics.Metric.Accuracy"/>.
    /// </summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, TensorDataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        return Metrics.Metric.Accuracy(Logits(model, data, batchSize), data.Targets);
    }

    /// <summary>
    /// <paramref name="forward"/> (a batch <c>[B, ...]</c> → <c>[B, ...]</c>, the model's forward or a part of it) applied to
    /// <paramref name="inputs"/> <c>[N, ...]</c> batch by batch, with <paramref name="model"/> in eval mode and no gradients,
    /// the outputs concatenated; a batch's intermediate tensors are freed before the next. The model's mode is restored.
    /// </summary>
    internal static Tensor Batched(nn.Module model, Func<Tensor, Tensor> forward, Tensor inputs, int batchSize)
    {
        RequireBatches(inputs.shape[0], batchSize);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var parts = new List<Tensor>();
            long n = inputs.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                using var batchScope = NewDisposeScope();
                parts.Add(forward(inputs.narrow(0, start, Math.Min(batchSize, n - start))).MoveToOuterDisposeScope());
            }
            return cat(parts, 0).MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Refuses a batch size below 1 (the loop would never end) and an empty dataset (nothing to predict).</summary>
    internal static void RequireBatches(long samples, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch size must be at least 1; got {batchSize}.");
        if (samples == 0) throw new ArgumentException("the dataset is empty: there is nothing to predict.", "data");
    }

    /// <summary>Member logits <c>[M, N, C]</c>, the kit's one layout for member outputs.</summary>
    public static Tensor MemberLogits(IEnumerable<nn.Module<Tensor, Tensor>> members, TensorDataset data, int batchSize = 1000)
    {
        using var scope = NewDisposeScope();
        return stack(members.Select(m => Logits(m, data, batchSize)).ToList(), 0).MoveToOuterDisposeScope();
    }
}
