using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// A copy of a model's state (parameters and buffers, e.g. batch-norm statistics) held on the CPU,
/// detached from the model, so that many snapshots of one run can be kept without holding device memory.
/// The snapshot owns its tensors.
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> _state;
    public string Label { get; }
    /// <summary>The epoch (0-based) after which it was taken, or -1.</summary>
    public int Epoch { get; }

    WeightSnapshot(Dictionary<string, Tensor> state, string label, int epoch)
    {
        _state = state;
        Label = label;
        Epoch = epoch;
    }

    public IReadOnlyDictionary<string, Tensor> State => _state;

    /// <summary>Copies <paramref name="model"/>'s current state to the CPU.</summary>
    public static WeightSnapshot Of(nn.Module model, string label, int epoch = -1) => new(ModelState.Copy(model, CPU), label, epoch);

    /// <summary>An independent copy (its own tensors), e.g. to hand out while the original stays owned.</summary>
    public WeightSnapshot Copy()
    {
        using var _ = no_grad();
        return new WeightSnapshot(_state.ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope()), Label, Epoch);
    }

    /// <summary>Writes this state into <paramref name="model"/> (same architecture), on the model's device.</summary>
    public void LoadInto(nn.Module model) => ModelState.Load(model, _state, $"snapshot '{Label}'");

    /// <summary>A new model from <paramref name="create"/> holding this state.</summary>
    public TModel ToModel<TModel>(Func<TModel> create) where TModel : nn.Module
    {
        var model = create();
        LoadInto(model);
        model.eval();
        return model;
    }

    /// <summary>Writes the snapshot to <paramref name="path"/> atomically (<see cref="StateFile"/>).</summary>
    internal void Save(string path) => StateFile.Save(path, Label, Epoch, _state);

    /// <summary>Reads a snapshot that <see cref="Save"/> wrote, its state shaped like <paramref name="model"/>'s (on the CPU).</summary>
    /// <exception cref="CheckpointDamagedException">The file is truncated, changed, not a state file, or of another architecture.</exception>
    internal static WeightSnapshot Load(string path, nn.Module model)
    {
        var state = ModelState.Copy(model, CPU);
        try
        {
            var (label, epoch) = StateFile.LoadInto(path, state);
            return new WeightSnapshot(state, label, epoch);
        }
        catch
        {
            ModelState.Dispose(state);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
    }
}
