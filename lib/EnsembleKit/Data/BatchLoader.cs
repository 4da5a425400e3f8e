using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Yields mini-batches from a <see cref="TensorDataset"/> by slicing whole-dataset tensors with a
/// shuffled index (no per-sample objects). Batches are created inside the caller's dispose scope.
/// </summary>
public sealed class BatchLoader
{
    readonly TensorDataset _data;
    public int BatchSize { get; }
    public bool Shuffle { get; }
    public bool DropLast { get; }

    public BatchLoader(TensorDataset data, int batchSize, bool shuffle, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive; got {batchSize}.");
        _data = data;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
    }

    public int BatchCount => (int)(DropLast ? _data.Count / BatchSize : (_data.Count + BatchSize - 1) / BatchSize);

    /// <summary>
    /// The batches of one epoch, each with the dataset rows it holds. With shuffling, the order comes
    /// from <paramref name="generator"/>, so a seeded generator gives the same batches every run. The
    /// caller disposes each batch's tensors (a dispose scope per step does it).
    /// </summary>
    public IEnumerable<Batch> Epoch(Generator? generator = null)
    {
        long n = _data.Count;
        using Scalar count = n;
        using var order = Shuffle
            ? generator is null ? randperm(n, device: _data.Inputs.device) : SeededDraws.Permutation(n, generator, _data.Inputs.device)
            : arange(count, dtype: ScalarType.Int64, device: _data.Inputs.device);
        for (long start = 0; start < n; start += BatchSize)
        {
            long end = Math.Min(start + BatchSize, n);
            if (DropLast && end - start < BatchSize) yield break;
            var index = order.narrow(0, start, end - start);
            yield return Shuffle
                ? new Batch(_data.Inputs.index_select(0, index), _data.Targets.index_select(0, index), index)
                : new Batch(_data.Inputs.narrow(0, start, end - start), _data.Targets.narrow(0, start, end - start), index);
        }
    }
}
