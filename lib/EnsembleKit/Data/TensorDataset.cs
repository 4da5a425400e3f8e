using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// A whole dataset held as two tensors: inputs <c>[N, ...]</c> float32 and targets <c>[N]</c> int64.
/// The dataset owns both; dispose it when done.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    public int ClassCount { get; }
    public string Name { get; }

    public TensorDataset(Tensor inputs, Tensor targets, int classCount, string name = "dataset")
    {
        if (targets.dim() != 1) throw new ArgumentException($"targets must be [N]; got [{string.Join(", ", targets.shape)}].", nameof(targets));
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"inputs have {inputs.shape[0]} rows but targets have {targets.shape[0]}.", nameof(targets));
        if (targets.dtype != ScalarType.Int64) throw new ArgumentException($"targets must be int64; got {targets.dtype}.", nameof(targets));
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, $"a dataset needs at least one class; got {classCount}.");
        ValueGuards.RequireClassIndices(targets, classCount);
        Inputs = inputs.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
        ClassCount = classCount;
        Name = name;
    }

    public long Count => Targets.shape[0];

    /// <summary>The rows at <paramref name="indices"/> as a new dataset (copies).</summary>
    public TensorDataset Subset(Tensor indices, string? name = null)
    {
        using var scope = NewDisposeScope();
        var subset = new TensorDataset(Inputs.index_select(0, indices), Targets.index_select(0, indices), ClassCount, name ?? Name);
        return subset;
    }

    /// <summary>The first <paramref name="count"/> rows (all if fewer), copied.</summary>
    public TensorDataset Take(long count, string? name = null)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"cannot take a negative number of rows; got {count}.");
        count = Math.Min(count, Count);
        using var scope = NewDisposeScope();
        return new TensorDataset(Inputs.narrow(0, 0, count).clone(), Targets.narrow(0, 0, count).clone(), ClassCount, name ?? Name);
    }

    /// <summary>Splits off a seeded random held-out part, e.g. a validation set for temperature scaling.</summary>
    public (TensorDataset Remainder, TensorDataset HeldOut) Split(long heldOutCount, long seed)
    {
        if (heldOutCount <= 0 || heldOutCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(heldOutCount), $"held-out size must be between 1 and {Count - 1}; got {heldOutCount}.");
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var order = randperm(Count, generator: generator);
        return (Subset(order.narrow(0, heldOutCount, Count - heldOutCount)), Subset(order.narrow(0, 0, heldOutCount)));
    }

    /// <summary>Moves both tensors to <paramref name="device"/> (no copy if already there).</summary>
    public TensorDataset To(Device device)
    {
        if (Inputs.device == device) return this;
        using var scope = NewDisposeScope();
        return new TensorDataset(Inputs.to(device), Targets.to(device), ClassCount, Name);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }

    public override string ToString() => $"{Name}: {Count:N0} samples, inputs [{string.Join(", ", Inputs.shape)}], {ClassCount} classes";
}
