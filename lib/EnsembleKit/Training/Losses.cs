using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>A training loss: a scalar tensor from the model's logits <c>[B, C]</c> and the batch.</summary>
public delegate Tensor LossFunction(Tensor logits, Batch batch);

/// <summary>Ready-made losses.</summary>
public static class Losses
{
    /// <summary>Cross-entropy with the integer targets, averaged over the batch.</summary>
    public static readonly LossFunction CrossEntropy = (logits, batch) => nn.functional.cross_entropy(logits, batch.Targets);
}
