using static TorchSharp.torch;

namespace EnsembleKit.Data;

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
