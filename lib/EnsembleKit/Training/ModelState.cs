using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training;

/// <summary>
/// State dicts as plain dictionaries of detached tensors: the kit's one way to copy a model's weights (parameters and
/// buffers), used for weight-space arithmetic, <see cref="WeightSnapshot"/>s and copies of a parent network.
/// </summary>
public static class ModelState
{
    /// <summary>A detached copy of the model's state (parameters and buffers), on its device or on <paramref name="device"/>;
    /// the caller disposes it.</summary>
    public static Dictionary<string, Tensor> Copy(nn.Module model, Device? device = null)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();   // the detached views in between
        return model.state_dict().ToDictionary(kv => kv.Key,
            kv => (device is null ? kv.Value.detach().clone() : kv.Value.detach().to(device).clone()).DetachFromDisposeScope());
    }

    /// <summary>Writes <paramref name="state"/> into <paramref name="model"/>, which must have exactly the same entries and shapes.
    /// <paramref name="stateName"/> names the state in errors (e.g. "snapshot 'cycle 2'").</summary>
    public static void Load(nn.Module model, IReadOnlyDictionary<string, Tensor> state, string stateName = "the state")
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();   // the handles copy_ returns
        var target = model.state_dict();
        foreach (var (name, value) in target)
        {
            if (!state.TryGetValue(name, out var source))
                throw new ArgumentException($"{stateName} has no entry '{name}' that the model needs: the architectures differ.", nameof(state));
            if (!source.shape.SequenceEqual(value.shape))
                throw new ArgumentException($"'{name}' is [{string.Join(", ", source.shape)}] in {stateName} but [{string.Join(", ", value.shape)}] in the model.", nameof(state));
            value.copy_(source);
        }
    }

    /// <summary>
    /// A new model from <paramref name="create"/>, on <paramref name="source"/>'s device and in its train/eval mode, holding
    /// a copy of its state (parameters and buffers): e.g. a child of a parent network, or the start of a run from a trained model.
    /// </summary>
    public static TModel Clone<TModel>(TModel source, Func<TModel> create) where TModel : nn.Module
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(create);
        var copy = create();
        if (ReferenceEquals(copy, source)) throw new ArgumentException("create() returned the model to copy; it must build a new model.", nameof(create));
        copy.to(ModelDevice.Of(source));
        var state = Copy(source);
        try
        {
            Load(copy, state, "the model to copy");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the model from create() does not fit the model to copy: {e.Message}", nameof(create), e);
        }
        finally
        {
            Dispose(state);
        }
        copy.train(source.training);
        return copy;
    }

    /// <summary>Disposes every tensor of a state.</summary>
    public static void Dispose(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var t in state.Values) t.Dispose();
    }

    /// <summary>
    /// Throws unless every state has the same entries with the same shapes as the first, naming the first mismatch.
    /// </summary>
    public static void CheckSameArchitecture(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> states, IReadOnlyList<string>? labels = null)
    {
        if (states.Count == 0) throw new ArgumentException("no models given.", nameof(states));
        string Label(int i) => labels?[i] ?? $"model {i}";
        var reference = states[0];
        for (int m = 1; m < states.Count; m++)
        {
            foreach (var (name, value) in reference)
            {
                if (!states[m].TryGetValue(name, out var other))
                    throw new ArgumentException($"{Label(m)} has no parameter '{name}' that {Label(0)} has: the architectures differ.", nameof(states));
                if (!other.shape.SequenceEqual(value.shape))
                    throw new ArgumentException($"parameter '{name}' is [{string.Join(", ", value.shape)}] in {Label(0)} but [{string.Join(", ", other.shape)}] in {Label(m)}: the architectures differ.", nameof(states));
            }
            var extra = states[m].Keys.FirstOrDefault(k => !reference.ContainsKey(k));
            if (extra is not null)
                throw new ArgumentException($"{Label(m)} has a parameter '{extra}' that {Label(0)} lacks: the architectures differ.", nameof(states));
        }
    }
}
