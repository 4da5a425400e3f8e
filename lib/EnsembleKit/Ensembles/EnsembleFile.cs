using System.Globalization;
using EnsembleKit.Backend;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Saves any <see cref="IEnsemble"/> to one file and loads it back. The file has the kit's checkpoint layout (a readable
/// header, the payload, a SHA-256 trailer; see <c>CheckpointFile</c>), with the header naming the method, rule, member
/// count and the method's settings, and the payload holding each member's state (parameters and buffers).
/// <para>Loading needs a factory for the members' architecture, as in PyTorch, where a state dict is loaded into a model
/// the caller builds. A loaded ensemble is a <see cref="DeepEnsemble"/> of its members (whatever method trained them; its
/// <see cref="IEnsemble.Method"/> is the recorded one), except MC dropout, whose members are passes through one model,
/// which loads as a <see cref="McDropoutEnsemble"/>.</para>
/// </summary>
public static class EnsembleFile
{
    const string KindValue = "ensemble";
    const string SettingPrefix = "setting.";

    /// <summary>Writes <paramref name="ensemble"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(IEnsemble ensemble, string path)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var states = ensemble.MemberStates();
        try
        {
            if (states.Count == 0) throw new InvalidOperationException($"{ensemble.Method} gave no member states to save.");
            var settings = new List<KeyValuePair<string, string>>
            {
                new("kind", KindValue),
                new("method", ensemble.Method),
                new("rule", ensemble.Rule.ToString()),
                new("members", ensemble.Count.ToString(CultureInfo.InvariantCulture)),
                // MC dropout's members are passes through one state; every other method has a state a member.
                new("states", states.Count.ToString(CultureInfo.InvariantCulture)),
            };
            settings.AddRange(ensemble.Settings.Select(kv => new KeyValuePair<string, string>(SettingPrefix + kv.Key, kv.Value)));
            var notes = new[] { new KeyValuePair<string, string>("state entries per member", states[0].State.Count.ToString(CultureInfo.InvariantCulture)) };
            CheckpointFile.Write(path, new RunFingerprint(settings, notes), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                foreach (var state in states) StateFile.WriteEntries(writer, state.State);
            });
        }
        finally
        {
            foreach (var state in states) state.Dispose();
        }
    }

    /// <summary>
    /// Reads the ensemble saved at <paramref name="path"/>, building each member with <paramref name="create"/> (the same
    /// architecture it was saved from) on the CPU.
    /// </summary>
    /// <exception cref="CheckpointDamagedException">The file is missing its checksum, changed, truncated or not an ensemble file.</exception>
    /// <exception cref="ArgumentException">The members do not fit the models <paramref name="create"/> builds.</exception>
    public static IEnsemble Load<TModel>(string path, Func<TModel> create) where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentNullException.ThrowIfNull(create);
        TorchRuntime.EnsureInitialized();
        if (!File.Exists(path)) throw new FileNotFoundException($"no ensemble file at {Path.GetFullPath(path)}.", path);
        using var stream = File.OpenRead(path);
        var (fingerprint, payloadStart, payloadEnd) = CheckpointFile.Verify(stream, path);
        var header = fingerprint.Settings.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!header.TryGetValue("kind", out var kind) || kind != KindValue)
            throw new CheckpointDamagedException(path, "it is a training checkpoint, not a saved ensemble (its header has no 'kind: ensemble').");
        string method = header["method"];
        var rule = Enum.Parse<CombinationRule>(header["rule"]);
        int count = int.Parse(header["states"], CultureInfo.InvariantCulture);
        var settings = header.Where(kv => kv.Key.StartsWith(SettingPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[SettingPrefix.Length..], kv => kv.Value);

        stream.Position = payloadStart;
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var models = new List<nn.Module<Tensor, Tensor>>();
        try
        {
            for (int m = 0; m < count; m++)
            {
                var model = create();
                models.Add(model);
                ReadState(reader, model, path, m);
                model.eval();
            }
            if (stream.Position != payloadEnd)
                throw new CheckpointDamagedException(path, $"it holds {payloadEnd - stream.Position:N0} bytes more than {count} member states.");
            return method == McDropoutEnsemble.MethodName
                ? McDropoutEnsemble.FromSettings(models.Single(), settings, rule)
                : new DeepEnsemble(models, rule, method: method);
        }
        catch
        {
            foreach (var model in models) model.Dispose();
            throw;
        }
    }

    static void ReadState(BinaryReader reader, nn.Module model, string path, int member)
    {
        using var _ = no_grad();
        var target = model.state_dict();
        int entries = reader.ReadInt32();
        if (entries != target.Count)
            throw new ArgumentException($"{path}: member {member + 1} has {entries} state entries but the model from the factory has {target.Count}: "
                + "the factory builds another architecture.", "create");
        for (int i = 0; i < entries; i++)
        {
            var name = reader.ReadString();
            if (!target.TryGetValue(name, out var tensor))
                throw new ArgumentException($"{path}: member {member + 1} has '{name}', which the model from the factory lacks: "
                    + "the factory builds another architecture.", "create");
            try
            {
                tensor.Load(reader);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{path}: member {member + 1}'s '{name}' does not fit the model from the factory ({e.Message}).", "create", e);
            }
        }
    }
}
