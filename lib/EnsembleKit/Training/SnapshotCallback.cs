using TorchSharp;

namespace EnsembleKit.Training;

/// <summary>
/// Takes a <see cref="WeightSnapshot"/> of the model after every epoch for which <paramref name="when"/>
/// (0-based epoch, total epochs) is true. The callback owns its snapshots until <see cref="TakeSnapshots"/>.
/// <para>With <paramref name="savePath"/> (the run's checkpoint path, say) each snapshot is also written to
/// <see cref="FileOf"/>, so that a run resumed from its checkpoint gets back the snapshots of the epochs it skips; a resumed
/// run without one, or with a file missing or damaged, is refused rather than left with fewer snapshots.</para>
/// </summary>
public sealed class SnapshotCallback(Func<int, int, bool> when, string labelPrefix = "snapshot", string? savePath = null) : ITrainingCallback
{
    readonly List<WeightSnapshot> _snapshots = [];
    public IReadOnlyList<WeightSnapshot> Snapshots => _snapshots;

    /// <summary>Only observes: a checkpoint does not record it.</summary>
    public bool ChangesTraining => false;

    /// <summary>Where the snapshot after 0-based <paramref name="epoch"/> is saved: <c>{savePath}.snapshot-epoch{epoch + 1}</c>.</summary>
    public string? FileOf(int epoch) => savePath is null ? null : $"{savePath}.snapshot-epoch{epoch + 1}";

    public void OnEpochEnd(TrainingContext context)
    {
        if (!when(context.Epoch, context.TotalEpochs)) return;
        var snapshot = WeightSnapshot.Of(context.Model, $"{labelPrefix} {_snapshots.Count + 1} (epoch {context.Epoch + 1})", context.Epoch);
        _snapshots.Add(snapshot);
        if (FileOf(context.Epoch) is { } file) snapshot.Save(file);
    }

    /// <summary>Reads back the snapshots of the epochs the checkpoint holds.</summary>
    /// <exception cref="CheckpointDamagedException">A snapshot of those epochs was not saved (no save path, or its file is missing or damaged).</exception>
    public void OnResume(TrainingContext context)
    {
        foreach (var s in _snapshots) s.Dispose();
        _snapshots.Clear();
        for (int epoch = 0; epoch < context.Epoch; epoch++)
        {
            if (!when(epoch, context.TotalEpochs)) continue;
            var file = FileOf(epoch);
            // The save path is the checkpoint's by convention.
            if (file is null || !File.Exists(file))
                throw CheckpointDamagedException.GatheredStateLost(savePath, context.Epoch, $"the {labelPrefix} of epoch {epoch + 1} " +
                    (file is null ? "was kept in memory only (give the snapshot callback a save path, as the snapshot and FGE methods do with a checkpoint path)." : $"was not saved ({file} is missing)."));
            _snapshots.Add(WeightSnapshot.Load(file, context.Model));
        }
    }

    /// <summary>Hands the snapshots (and their ownership) to the caller.</summary>
    public List<WeightSnapshot> TakeSnapshots()
    {
        var taken = _snapshots.ToList();
        _snapshots.Clear();
        return taken;
    }
}
