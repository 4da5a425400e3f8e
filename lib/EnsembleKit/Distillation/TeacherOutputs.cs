using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Distillation;

/// <summary>
/// A teacher's logits on every training row, computed once (eval mode, no gradients) and looked up by the batch's
/// row indices, so distillation does not run the teacher again every epoch. Owns its <c>[N, C]</c> tensor.
/// </summary>
public sealed class TeacherOutputs : IDisposable
{
    /// <summary>Teacher logits (or log-probabilities, for an ensemble) <c>[N, C]</c> float32, on the data's device.</summary>
    public Tensor Logits { get; }

    TeacherOutputs(Tensor logits) => Logits = logits.DetachFromDisposeScope();

    /// <summary>Runs <paramref name="teacher"/> (a model, or a <see cref="DeepEnsemble"/>, whose forward gives the log of its distribution) over <paramref name="data"/>.</summary>
    public static TeacherOutputs Compute(nn.Module<Tensor, Tensor> teacher, TensorDataset data, int batchSize = 1000)
    {
        TorchRuntime.EnsureInitialized();
        var logits = Predict.Logits(teacher, data, batchSize);
        if (logits.dim() != 2 || logits.shape[0] != data.Count)
        {
            var shape = string.Join(", ", logits.shape);
            logits.Dispose();
            throw new ArgumentException($"the teacher must give [N, C] outputs; got [{shape}] for {data.Count} rows.", nameof(teacher));
        }
        return new TeacherOutputs(logits);
    }

    /// <summary>The distillation loss for the <see cref="Trainer"/>: looks up this teacher's outputs by the batch's row indices.</summary>
    public LossFunction Loss(DistillationOptions options)
    {
        options.Validate();
        return (logits, batch) =>
        {
            using var scope = NewDisposeScope();
            var teacher = Logits.index_select(0, batch.Indices.to(Logits.device));
            return DistillationLoss.Compute(logits, teacher, batch.Targets, options).MoveToOuterDisposeScope();
        };
    }

    public void Dispose() => Logits.Dispose();
}
