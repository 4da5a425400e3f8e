using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// A named set of tensors (a model's state, a running average of weights) in one file with the checkpoint layout
/// (<see cref="CheckpointFile"/>): a header with <c>state</c> (a label) and <c>epoch</c>, then each entry's name and
/// tensor, then the checksum. What a run keeps beside its checkpoint so that a resumed run gets it back.
/// </summary>
internal static class StateFile
{
    /// <summary>Writes <paramref name="state"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, string label, int epoch, IReadOnlyDictionary<string, Tensor> state)
    {
        var settings = new KeyValuePair<string, string>[]
        {
            new("state", label),
            new("epoch", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        CheckpointFile.Write(path, new RunFingerprint(settings, []), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            WriteEntries(writer, state);
        });
    }

    /// <summary>The entry count, then each entry's name and tensor: how state files and ensemble files hold a state.</summary>
    public static void WriteEntries(BinaryWriter writer, IReadOnlyDictionary<string, Tensor> state)
    {
        writer.Write(state.Count);
        foreach (var (name, tensor) in state)
        {
            writer.Write(name);
            tensor.Save(writer);
        }
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> into <paramref name="state"/>'s tensors (same names, shapes and dtypes);
    /// returns the label and epoch it was saved with.
    /// </summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed, not a state file, or does not fit <paramref name="state"/>.</exception>
    public static (string Label, int Epoch) LoadInto(string path, IReadOnlyDictionary<string, Tensor> state)
    {
        using var stream = File.OpenRead(path);
        var (recorded, payloadStart, payloadEnd) = CheckpointFile.Verify(stream, path);
        var header = recorded.Settings.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!header.TryGetValue("state", out var label) || !header.TryGetValue("epoch", out var epochText)
            || !int.TryParse(epochText, System.Globalization.CultureInfo.InvariantCulture, out int epoch))
            throw new CheckpointDamagedException(path, "it is not a state file (its header has no 'state' and 'epoch').");
        try
        {
            stream.Position = payloadStart;
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            int entries = reader.ReadInt32();
            if (entries != state.Count) throw new FormatException($"it has {entries} entries, the model {state.Count}");
            using var _ = no_grad();
            for (int i = 0; i < entries; i++)
            {
                var name = reader.ReadString();
                if (!state.TryGetValue(name, out var tensor)) throw new FormatException($"it has '{name}', which the model lacks");
                tensor.Load(reader);
            }
            if (stream.Position != payloadEnd) throw new FormatException("it has bytes after the state");
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or InvalidOperationException
            or IOException and not CheckpointException)
        {
            throw new CheckpointDamagedException(path, $"its state does not fit this model ({e.Message}).", e);
        }
        return (label, epoch);
    }
}
