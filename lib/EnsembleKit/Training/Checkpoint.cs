using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// A training checkpoint in one file, written atomically (temporary file, then rename), so a run killed at any moment
/// leaves the previous complete checkpoint: the run's settings (<see cref="RunFingerprint"/>), epochs done, history
/// (one, or one per member for a lockstep run), model and optimiser state, and a SHA-256 checksum (layout: <see cref="CheckpointFile"/>).
/// A run resumes from a checkpoint only if the file is intact and was written with the same settings; otherwise
/// <c>Load</c> refuses it with a <see cref="CheckpointException"/> that names the file, says what is wrong or
/// which settings differ, and how to start afresh.
/// </summary>
public static class Checkpoint
{
    public static bool Exists(string path) => File.Exists(path);

    /// <summary>Writes the state after <paramref name="epochsDone"/> epochs of the run described by <paramref name="settings"/>.</summary>
    public static void Save(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer,
        TrainingHistory history, int epochsDone) =>
        WritePayload(path, settings, model, optimizer, epochsDone, writer => writer.Write(history.ToCsv()));

    /// <summary>
    /// Checks the file and its settings against <paramref name="settings"/>, then restores model and optimiser state and
    /// the history; returns the number of epochs done. Nothing is touched when the file or its settings are refused.
    /// </summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed since it was written, not a checkpoint, or of format v1.</exception>
    /// <exception cref="CheckpointMismatchException">The file was written by a run with other settings.</exception>
    public static int Load(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingHistory history)
    {
        List<EpochRecord> records = [];
        int epochs = ReadPayload(path, settings, model, optimizer,
            reader => records = [.. TrainingHistory.FromCsv(history.Label, reader.ReadString()).Epochs]);
        foreach (var e in records) history.Add(e);
        return epochs;
    }

    /// <summary>
    /// Writes the state after <paramref name="epochsDone"/> epochs of a run that trains several models as one (a lockstep
    /// run: <see cref="Lockstep.LockstepTrainer"/>): one <paramref name="model"/> and <paramref name="optimizer"/> holding
    /// all of them, and one history per member. The payload is the epochs done, the number of histories, each history,
    /// then model and optimiser state; <paramref name="settings"/> should say what sets the run apart from a sequential one
    /// (the lockstep trainer records <c>trainer: lockstep, M members, seeds s..s+M-1</c>), since a single-history file and
    /// this one are told apart by their settings only.
    /// </summary>
    public static void Save(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer,
        IReadOnlyList<TrainingHistory> histories, int epochsDone)
    {
        ArgumentNullException.ThrowIfNull(histories);
        if (histories.Count == 0) throw new ArgumentException("a checkpoint needs at least one history; got 0.", nameof(histories));
        WritePayload(path, settings, model, optimizer, epochsDone, writer =>
        {
            writer.Write(histories.Count);
            foreach (var history in histories) writer.Write(history.ToCsv());
        });
    }

    /// <summary>The payload every checkpoint has: epochs done, the histories as <paramref name="writeHistories"/> writes them, model, optimiser.</summary>
    static void WritePayload(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, int epochsDone,
        Action<BinaryWriter> writeHistories) =>
        CheckpointFile.Write(path, settings, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(epochsDone);
            writeHistories(writer);
            model.save(writer);
            optimizer.save_state_dict(writer);
        });

    /// <summary>
    /// Loads a checkpoint written by the several-histories <see cref="Save(string, RunFingerprint, nn.Module, TorchSharp.Modules.OptimizerHelper, IReadOnlyList{TrainingHistory}, int)"/>:
    /// checks the file and its settings against <paramref name="settings"/>, then restores model and optimiser state and
    /// appends each recorded history's epochs to the matching one of <paramref name="histories"/> (same count, same order);
    /// returns the number of epochs done. Nothing is touched when the file or its settings are refused.
    /// </summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed since it was written, not a checkpoint, of format v1,
    /// or holds another number of histories.</exception>
    /// <exception cref="CheckpointMismatchException">The file was written by a run with other settings.</exception>
    public static int Load(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer,
        IReadOnlyList<TrainingHistory> histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var records = new List<List<EpochRecord>>();
        int epochs = ReadPayload(path, settings, model, optimizer, reader =>
        {
            int count = reader.ReadInt32();
            if (count != histories.Count)
                throw new CheckpointDamagedException(path, $"it holds {count} histories, but this run trains {histories.Count} models.");
            foreach (var history in histories) records.Add([.. TrainingHistory.FromCsv(history.Label, reader.ReadString()).Epochs]);
        });
        for (int m = 0; m < histories.Count; m++)
            foreach (var e in records[m]) histories[m].Add(e);
        return epochs;
    }

    /// <summary>
    /// Checks the file and its settings, then reads the payload <see cref="WritePayload"/> wrote (the histories through
    /// <paramref name="readHistories"/>) into <paramref name="model"/> and <paramref name="optimizer"/>; returns the epochs
    /// done. A payload that does not fit this kit or this model, or that is longer than what was read, is refused as damaged.
    /// </summary>
    static int ReadPayload(string path, RunFingerprint settings, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer,
        Action<BinaryReader> readHistories)
    {
        using var stream = File.OpenRead(path);
        var (recorded, payloadStart, payloadEnd) = CheckpointFile.Verify(stream, path);
        var differences = settings.DifferencesFrom(recorded);
        if (differences.Count > 0) throw new CheckpointMismatchException(path, differences);

        stream.Position = payloadStart;
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        int epochs;
        try
        {
            epochs = reader.ReadInt32();
            readHistories(reader);
            model.load(reader);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or InvalidOperationException
            or IOException and not CheckpointException)
        {
            // The checksum matched, so the bytes are as written: the payload does not fit this kit or this model.
            throw new CheckpointDamagedException(path, $"its contents could not be loaded into this run's model and optimiser ({e.Message}).", e);
        }
        if (stream.Position != payloadEnd)
            throw new CheckpointDamagedException(path, $"its payload has {payloadEnd - stream.Position:N0} bytes more than the model and optimiser state.");
        return epochs;
    }

    /// <summary>The number of epochs a checkpoint holds, after checking the file (e.g. to report a partial run).</summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed since it was written, not a checkpoint, or of format v1.</exception>
    public static int EpochsDone(string path)
    {
        using var stream = File.OpenRead(path);
        var (_, payloadStart, _) = CheckpointFile.Verify(stream, path);
        stream.Position = payloadStart;
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return reader.ReadInt32();
    }

    /// <summary>The settings a checkpoint was written with, after checking the file (e.g. to show why a run was refused).</summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed since it was written, not a checkpoint, or of format v1.</exception>
    public static RunFingerprint ReadSettings(string path)
    {
        using var stream = File.OpenRead(path);
        return CheckpointFile.Verify(stream, path).Fingerprint;
    }
}
