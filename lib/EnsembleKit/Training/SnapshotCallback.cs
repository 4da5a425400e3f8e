using TorchSharp;

namespace EnsembleKit.Training;

/// <summary>
/// Takes a <see cref="WeightSnapshot"/> of the model after every epoch for which <paramref name="when"/>
/// (0-based epoch, total epochs) is true. The callback owns its snapshots until <see cref="TakeSnapshots"/>.
/// </summary>
public sealed class SnapshotCallback(Func<int, int, bool> when, string labelPrefix = "snapshot") : ITrainingCallback
{
    readonly List<WeightSnapshot> _snapshots = [];
    public IReadOnlyList<WeightSnapshot> Snapshots => _snapshots;

    /// <summary>Only observes: a checkpoint does not record it.</summary>
    public bool ChangesTraining => false;

    public void OnEpochEnd(TrainingContext context)
    {
        if (when(context.Epoch, context.TotalEpochs))
            _snapshots.Add(WeightSnapshot.Of(context.Model, $"{labelPrefix} {_snapshots.Count + 1} (epoch {context.Epoch + 1})", context.Epoch));
    }

    /// <summary>Hands the snapshots (and their ownership) to the caller.</summary>
    public List<WeightSnapshot> TakeSnapshots()
    {
        var taken = _snapshots.ToList();
        _snapshots.Clear();
        return taken;
    }
}
