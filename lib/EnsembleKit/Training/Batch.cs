using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// One mini-batch: inputs <c>[B, ...]</c> float32, targets <c>[B]</c> int64, and the dataset rows they
/// came from, <c>[B]</c> int64 (so a loss can look up per-sample data such as cached teacher outputs).
/// The batch owns its three tensors: dispose it after the step.
/// </summary>
public readonly record struct Batch(Tensor Inputs, Tensor Targets, Tensor Indices) : IDisposable
{
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Indices.Dispose();
    }
}

/// <summary>A training loss: a scalar tensor from the model's logits <c>[B, C]</c> and the batch.</summary>
public delegate Tensor LossFunction(Tensor logits, Batch batch);

/// <summary>Ready-made losses.</summary>
public static class Losses
{
    /// <summary>Cross-entropy with the integer targets, averaged over the batch.</summary>
    public static readonly LossFunction CrossEntropy = (logits, batch) => nn.functional.cross_entropy(logits, batch.Targets);
}
