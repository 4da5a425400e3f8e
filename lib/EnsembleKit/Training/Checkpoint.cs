using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// A training checkpoint in one file, written atomically (temporary file, then rename), so a run killed
/// at any moment leaves the previous complete checkpoint: epochs done, history, model and optimiser state.
/// </summary>
public static class Checkpoint
{
    const string Magic = "EnsembleKit.Checkpoint.v1";

    public static bool Exists(string path) => File.Exists(path);

    public static void Save(string path, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingHistory history, int epochsDone)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(epochsDone);
            writer.Write(history.ToCsv());
            model.save(writer);
            optimizer.save_state_dict(writer);
        });
    }

    /// <summary>Restores model and optimiser state and the history; returns the number of epochs done.</summary>
    public static int Load(string path, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingHistory history)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic;
        try { magic = reader.ReadString(); }
        catch (EndOfStreamException) { magic = ""; }
        if (magic != Magic) throw new InvalidDataException($"{path} is not an EnsembleKit checkpoint (or is from another version); delete it to start afresh.");
        int epochs = reader.ReadInt32();
        foreach (var e in TrainingHistory.FromCsv(history.Label, reader.ReadString()).Epochs) history.Add(e);
        model.load(reader);
        optimizer.load_state_dict(reader);
        return epochs;
    }
}
