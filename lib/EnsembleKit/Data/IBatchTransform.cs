using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// A transform of a whole input batch <c>[B, ...]</c>, run as tensor operations on the batch's device.
/// Randomness comes only from the generator passed to <see cref="Apply"/>, so a seeded generator
/// gives the same output every run (the trainer seeds one per epoch, which keeps resumed runs exact).
/// Implementations return a new tensor in the caller's dispose scope and never modify the input.
/// </summary>
public interface IBatchTransform
{
    /// <summary>Transforms float32 inputs <c>[B, ...]</c>; the result has the same shape, dtype and device unless documented otherwise.</summary>
    Tensor Apply(Tensor inputs, Generator generator);
}
