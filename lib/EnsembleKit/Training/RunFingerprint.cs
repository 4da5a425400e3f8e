using System.Globalization;
using EnsembleKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// The settings that determine a training run's result, as named one-line texts: seed, epochs, batch size, optimiser
/// and its options, learning-rate schedule, loss, augmentation, callbacks that change training, the model's layout and
/// the training data (rows, input shape, classes and a digest of the content). A checkpoint records them, and a run
/// resumes from a checkpoint only if its own fingerprint has the same <see cref="Settings"/>.
/// <see cref="Notes"/> (data name, device, threads) are recorded for the reader but not compared: a run may resume on
/// another device or thread count, and a dataset is known by its content, not its label.
/// </summary>
/// <remarks>
/// Not covered: the model's initial weights (a resumed run overwrites them; <see cref="Ensembles.DeepEnsemble"/> derives
/// them from the seed, which is covered), the state of callbacks, and values a custom loss reads other than those it
/// captures (<see cref="SettingText.Loss"/>). Give runs that differ only there their own checkpoint paths.
/// </remarks>
public sealed class RunFingerprint
{
    /// <summary>Input rows of the training data that go into its content digest, evenly spaced, besides all targets.</summary>
    public const int SampledRows = 256;

    public RunFingerprint(IEnumerable<KeyValuePair<string, string>> settings, IEnumerable<KeyValuePair<string, string>> notes)
    {
        Settings = Checked(settings);
        Notes = Checked(notes);
    }

    /// <summary>Compared settings, in a fixed order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    /// <summary>Recorded but not compared.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Notes { get; }

    /// <summary>The fingerprint of training <paramref name="model"/> on <paramref name="data"/> with <paramref name="options"/>.</summary>
    public static RunFingerprint Of(TrainingOptions options, nn.Module model, TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var settings = new List<KeyValuePair<string, string>>
        {
            new("seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
            new("epochs", options.Epochs.ToString(CultureInfo.InvariantCulture)),
            new("batch size", options.BatchSize.ToString(CultureInfo.InvariantCulture)),
            new("optimizer", options.Optimizer.ToString()),
            new("learning rate", SettingText.Number(options.LearningRate)),
            new("momentum", SettingText.Number(options.Momentum)),
            new("weight decay", SettingText.Number(options.WeightDecay)),
            new("nesterov", SettingText.Describe(options.Nesterov)),
            new("schedule", SettingText.Describe(options.Schedule)),
            new("loss", SettingText.Loss(options.Loss)),
            new("augmentation", SettingText.Describe(options.Augment)),
            new("callbacks", SettingText.Callbacks(options.Callbacks)),
        };
        // Recorded only when on, so checkpoints written before the option existed still resume.
        if (options.ChannelsLast) settings.Add(new("memory layout", "channels-last"));
        settings.AddRange(ModelSettings(model));
        settings.AddRange(DataSettings(data));
        var notes = new List<KeyValuePair<string, string>>
        {
            new("data name", data.Name),
            new("device", data.Inputs.device.ToString()),
            new("threads", get_num_threads().ToString(CultureInfo.InvariantCulture)),
        };
        return new RunFingerprint(settings, notes);
    }

    /// <summary>
    /// What differs from the fingerprint a checkpoint recorded, one line a setting: <c>epochs: checkpoint 4, this run 8</c>.
    /// Empty when the settings agree; otherwise the notes that differ follow, marked "(not compared)", as context.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(RunFingerprint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var differences = Compare(checkpoint.Settings, Settings);
        if (differences.Count == 0) return differences;
        differences.AddRange(Compare(checkpoint.Notes, Notes).Select(d => $"{d} (not compared)"));
        return differences;
    }

    /// <summary>Architecture: the model's type, size and a digest of every parameter's and buffer's name, dtype, shape and trainability.</summary>
    static List<KeyValuePair<string, string>> ModelSettings(nn.Module model)
    {
        var tensors = model.named_parameters().Select(p => (p.name, tensor: (Tensor)p.parameter, kind: p.parameter.requires_grad ? "trainable" : "frozen"))
            .Concat(model.named_buffers().Select(b => (b.name, tensor: b.buffer, kind: "buffer")))
            .ToList();
        using var layout = new TensorDigest();
        foreach (var (name, tensor, kind) in tensors) layout.Add($"{name} {kind} {tensor.dtype} [{string.Join(", ", tensor.shape)}]");
        long values = tensors.Sum(t => t.tensor.numel());
        return
        [
            new("model", string.Create(CultureInfo.InvariantCulture, $"{model.GetType().Name.Split('`')[0]}, {tensors.Count} tensors, {values:N0} values")),
            new("model layout", layout.Hex()),
        ];
    }

    /// <summary>The data's size and shape, and a digest of all targets and <see cref="SampledRows"/> evenly spaced input rows.</summary>
    static List<KeyValuePair<string, string>> DataSettings(TensorDataset data)
    {
        long rows = data.Count;
        using var content = new TensorDigest();
        content.Add(data.Targets);
        if (rows > 0)
        {
            // Hashing every input would read the whole dataset each run (600 MB for CIFAR-10); targets plus a spread of
            // rows tell apart subsets, orders and preprocessings at the cost of a few megabytes.
            long take = Math.Min(rows, SampledRows);
            var picks = Enumerable.Range(0, (int)take).Select(i => take == 1 ? 0 : i * (rows - 1) / (take - 1)).ToArray();
            using var scope = NewDisposeScope();
            content.Add(data.Inputs.index_select(0, tensor(picks, device: data.Inputs.device)));
        }
        return
        [
            new("data rows", rows.ToString(CultureInfo.InvariantCulture)),
            new("data inputs", $"{data.Inputs.dtype} [{string.Join(", ", data.Inputs.shape.Skip(1))}]"),
            new("data classes", data.ClassCount.ToString(CultureInfo.InvariantCulture)),
            new("data content", content.Hex()),
        ];
    }

    static List<string> Compare(IReadOnlyList<KeyValuePair<string, string>> checkpoint, IReadOnlyList<KeyValuePair<string, string>> run)
    {
        var recorded = checkpoint.ToDictionary(p => p.Key, p => p.Value);
        var current = run.ToDictionary(p => p.Key, p => p.Value);
        return checkpoint.Select(p => p.Key).Concat(run.Select(p => p.Key).Where(k => !recorded.ContainsKey(k)))
            .Where(key => recorded.GetValueOrDefault(key) != current.GetValueOrDefault(key))
            .Select(key => $"{key}: checkpoint {recorded.GetValueOrDefault(key) ?? "(not recorded)"}, this run {current.GetValueOrDefault(key) ?? "(not recorded)"}")
            .ToList();
    }

    /// <summary>Keys are unique and values fit on one line, as the checkpoint header stores them.</summary>
    static List<KeyValuePair<string, string>> Checked(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var list = pairs.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ReplaceLineEndings(" "))).ToList();
        foreach (var (key, _) in list)
            if (key.Length == 0 || key.Contains(':') || key.Contains('\n') || key.StartsWith('#'))
                throw new ArgumentException($"a setting's name must be non-empty, without ':' or line breaks, and not start with '#'; got '{key}'.");
        if (list.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"the setting '{duplicate.Key}' appears twice.");
        return list;
    }
}
