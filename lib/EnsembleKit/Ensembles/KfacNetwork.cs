using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A model seen as a chain of steps, each an <c>nn.Linear</c> or a parameter-free function (ReLU, Tanh, Flatten, Dropout
/// in eval mode, ...), so that KFAC can read every linear layer's input a_{l−1} and pre-activation s_l in one pass. The
/// kit's models call their layers' <c>forward</c> directly, which bypasses TorchSharp hooks; running the chain here does
/// not depend on hooks. Known chains: <see cref="Models.Mlp"/> (Linear, ReLU between), <c>nn.Sequential</c> (its children in
/// order, nested Sequentials flattened) and a bare <c>nn.Linear</c>. Parameters outside <c>nn.Linear</c> (convolutions,
/// normalisation, embeddings) are refused.
/// </summary>
internal sealed class KfacNetwork
{
    readonly List<(int Layer, Func<Tensor, Tensor>? Function)> steps = [];
    readonly List<(string Name, Linear Layer)> layers = [];
    readonly bool flattenInput;

    public KfacNetwork(nn.Module<Tensor, Tensor> model)
    {
        Model = model;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var linearNames = modules.Where(m => m.Value is Linear).Select(m => m.Key).ToHashSet();
        if (model is Linear) linearNames.Add("");
        foreach (var (name, _) in model.named_parameters())
        {
            int dot = name.LastIndexOf('.');
            string owner = dot < 0 ? "" : name[..dot];
            if (linearNames.Contains(owner)) continue;
            string type = owner.Length == 0 ? model.GetType().Name : modules.TryGetValue(owner, out var m) ? m.GetType().Name : "?";
            string layer = owner.Length == 0 ? model.GetName() : $"'{owner}'";
            throw new NotSupportedException($"KFAC-Laplace covers nn.Linear layers only: {model.GetName()}'s layer {layer} ({type}) has the parameter '{name}'. "
                + "Convolutional, normalisation and embedding layers are not supported.");
        }
        switch (model)
        {
            case Linear linear:
                AddLinear("", linear);
                break;
            case Models.Mlp mlp:
                flattenInput = true;
                for (int i = 0; i < mlp.Layers.Count; i++)
                {
                    if (i > 0) steps.Add((-1, x => nn.functional.relu(x)));
                    var layer = mlp.Layers[i];
                    AddLinear(modules.First(m => ReferenceEquals(m.Value, layer)).Key, layer);
                }
                break;
            case Sequential sequential:
                AddChildren("", sequential);
                break;
            default:
                throw new NotSupportedException($"KFAC-Laplace runs the network layer by layer and knows Mlp, nn.Sequential and nn.Linear; "
                    + $"{model.GetName()} is a {model.GetType().Name}. Wrap its layers in an nn.Sequential.");
        }
        if (layers.Count == 0) throw new ArgumentException($"{model.GetName()} has no nn.Linear layer: KFAC-Laplace has nothing to cover.", nameof(model));
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public IReadOnlyList<(string Name, Linear Layer)> Layers => layers;

    void AddLinear(string name, Linear linear)
    {
        steps.Add((layers.Count, null));
        layers.Add((name, linear));
    }

    void AddChildren(string prefix, Sequential sequential)
    {
        foreach (var (name, child) in sequential.named_children())
        {
            string full = prefix.Length == 0 ? name : $"{prefix}.{name}";
            switch (child)
            {
                case Linear linear: AddLinear(full, linear); break;
                case Sequential inner: AddChildren(full, inner); break;
                case nn.Module<Tensor, Tensor> function: steps.Add((-1, function.call)); break;
                default: throw new NotSupportedException($"KFAC-Laplace cannot run layer '{full}' ({child.GetType().Name}): it is not a tensor-to-tensor module.");
            }
        }
    }

    /// <summary>
    /// Runs the chain on <paramref name="input"/> <c>[B, ...]</c> (the model must be in eval mode): the logits <c>[B, C]</c>,
    /// and for each linear layer its input <c>[B, I]</c> and pre-activation <c>[B, O]</c> (tensors of the autograd graph).
    /// </summary>
    public (Tensor Logits, List<Tensor> Inputs, List<Tensor> PreActivations) Forward(Tensor input)
    {
        var x = flattenInput && input.dim() != 2 ? input.flatten(1) : input;
        var inputs = new List<Tensor>();
        var outputs = new List<Tensor>();
        foreach (var (layer, function) in steps)
        {
            if (function is not null)
            {
                x = function(x);
                continue;
            }
            inputs.Add(x);
            x = layers[layer].Layer.call(x);
            outputs.Add(x);
        }
        return (x, inputs, outputs);
    }

    /// <summary>Copies of the linear layers' weights and biases, to put back with <see cref="Restore"/>.</summary>
    public List<Tensor?> Save()
    {
        using var _ = no_grad();
        return layers.SelectMany(l => new[] { l.Layer.weight!.detach().clone(), l.Layer.bias?.detach().clone() }).ToList();
    }

    public void Restore(List<Tensor?> saved)
    {
        using var _ = no_grad();
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Layer.weight!.copy_(saved[2 * i]!);
            layers[i].Layer.bias?.copy_(saved[2 * i + 1]!);
        }
    }

    /// <summary>Writes augmented weights W̄_l <c>[O, Q]</c> (bias as the last column when the layer has one) into the layers.</summary>
    public void Load(IReadOnlyList<Tensor> weights)
    {
        using var _ = no_grad();
        for (int i = 0; i < layers.Count; i++)
        {
            var (weight, bias) = (layers[i].Layer.weight!, layers[i].Layer.bias);
            int inputs = (int)weight.shape[1];
            weight.copy_(weights[i].narrow(1, 0, inputs));
            bias?.copy_(weights[i].select(1, inputs));
        }
    }
}
