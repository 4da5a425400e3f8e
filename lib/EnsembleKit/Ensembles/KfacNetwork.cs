using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// A model seen as a chain of steps, each an <c>nn.Linear</c>, an <c>nn.Conv2d</c> or a parameter-free function (ReLU,
/// Tanh, pooling, Flatten, Dropout in eval mode, ...), so that KFAC can read every layer's input a_{l−1} and pre-activation
/// s_l in one pass. The kit's models call their layers' <c>forward</c> directly, which bypasses TorchSharp hooks; running
/// the chain here does not depend on hooks. Known chains: <see cref="Models.Mlp"/> (Linear, ReLU between),
/// <see cref="Models.LeNet"/> (its two convolutions, pooling and three linear layers), <c>nn.Sequential</c> (its children in
/// order, nested Sequentials flattened) and a bare <c>nn.Linear</c>. Parameters outside <c>nn.Linear</c> and
/// <c>nn.Conv2d</c> (normalisation, embeddings, ...) are refused, as are grouped, strided-"same" or non-zero-padded
/// convolutions.
/// </summary>
internal sealed class KfacNetwork
{
    readonly List<(int Layer, Func<Tensor, Tensor>? Function)> steps = [];
    readonly List<KfacLayer> layers = [];
    readonly bool flattenInput;

    public KfacNetwork(nn.Module<Tensor, Tensor> model)
    {
        Model = model;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var covered = modules.Where(m => m.Value is Linear or Conv2d).Select(m => m.Key).ToHashSet();
        if (model is Linear) covered.Add("");
        foreach (var (name, _) in model.named_parameters())
        {
            int dot = name.LastIndexOf('.');
            string owner = dot < 0 ? "" : name[..dot];
            if (covered.Contains(owner)) continue;
            string type = owner.Length == 0 ? model.GetType().Name : modules.TryGetValue(owner, out var m) ? m.GetType().Name : "?";
            string layer = owner.Length == 0 ? model.GetName() : $"'{owner}'";
            throw new NotSupportedException($"KFAC-Laplace covers nn.Linear and nn.Conv2d layers only: {model.GetName()}'s layer {layer} ({type}) has the parameter '{name}'. "
                + "Normalisation and embedding layers are not supported.");
        }
        string NameOf(nn.Module module) => modules.First(m => ReferenceEquals(m.Value, module)).Key;
        switch (model)
        {
            case Linear linear:
                AddLayer("", linear);
                break;
            case Models.Mlp mlp:
                flattenInput = true;
                for (int i = 0; i < mlp.Layers.Count; i++)
                {
                    if (i > 0) steps.Add((-1, x => nn.functional.relu(x)));
                    AddLayer(NameOf(mlp.Layers[i]), mlp.Layers[i]);
                }
                break;
            case Models.LeNet:
                // LeNet.forward: conv → ReLU → pool, twice; flatten; fc1, fc2 with ReLU; classifier (dropout is the identity in eval mode).
                foreach (var conv in new[] { "conv1", "conv2" })
                {
                    AddLayer(conv, modules[conv]);
                    steps.Add((-1, x => nn.functional.max_pool2d(nn.functional.relu(x), 2)));
                }
                steps.Add((-1, x => x.flatten(1)));
                foreach (var fc in new[] { "fc1", "fc2" })
                {
                    AddLayer(fc, modules[fc]);
                    steps.Add((-1, x => nn.functional.relu(x)));
                }
                AddLayer("classifier", modules["classifier"]);
                break;
            case Sequential sequential:
                AddChildren("", sequential);
                break;
            default:
                throw new NotSupportedException($"KFAC-Laplace runs the network layer by layer and knows Mlp, LeNet, nn.Sequential and nn.Linear; "
                    + $"{model.GetName()} is a {model.GetType().Name}. Wrap its layers in an nn.Sequential.");
        }
        if (layers.Count == 0) throw new ArgumentException($"{model.GetName()} has no nn.Linear or nn.Conv2d layer: KFAC-Laplace has nothing to cover.", nameof(model));
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public IReadOnlyList<KfacLayer> Layers => layers;

    void AddLayer(string name, nn.Module module)
    {
        steps.Add((layers.Count, null));
        layers.Add(KfacLayer.Of(name, module));
    }

    void AddChildren(string prefix, Sequential sequential)
    {
        foreach (var (name, child) in sequential.named_children())
        {
            string full = prefix.Length == 0 ? name : $"{prefix}.{name}";
            switch (child)
            {
                case Linear or Conv2d: AddLayer(full, child); break;
                case Sequential inner: AddChildren(full, inner); break;
                case nn.Module<Tensor, Tensor> function: steps.Add((-1, function.call)); break;
                default: throw new NotSupportedException($"KFAC-Laplace cannot run layer '{full}' ({child.GetType().Name}): it is not a tensor-to-tensor module.");
            }
        }
    }

    /// <summary>
    /// Runs the chain on <paramref name="input"/> <c>[B, ...]</c> (the model must be in eval mode): the logits <c>[B, C]</c>,
    /// and for each covered layer its input (<c>[B, I]</c> for a linear layer, <c>[B, C_in, H, W]</c> for a convolution) and
    /// pre-activation (<c>[B, O]</c> or <c>[B, O, H', W']</c>), tensors of the autograd graph.
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
            x = layers[layer].Call(x);
            outputs.Add(x);
        }
        return (x, inputs, outputs);
    }

    /// <summary>Copies of the covered layers' weights and biases, to put back with <see cref="Restore"/>.</summary>
    public List<Tensor?> Save()
    {
        using var _ = no_grad();
        return layers.SelectMany(l => new[] { l.Weight.detach().clone(), l.Bias?.detach().clone() }).ToList();
    }

    public void Restore(List<Tensor?> saved)
    {
        using var _ = no_grad();
        for (int i = 0; i < layers.Count; i++)
        {
            layers[i].Weight.copy_(saved[2 * i]!);
            layers[i].Bias?.copy_(saved[2 * i + 1]!);
        }
    }

    /// <summary>Writes augmented weights W̄_l <c>[O, Q]</c> (bias as the last column when the layer has one) into the layers.</summary>
    public void Load(IReadOnlyList<Tensor> weights)
    {
        using var _ = no_grad();
        for (int i = 0; i < layers.Count; i++) layers[i].Write(layers[i].Weight, layers[i].Bias, weights[i]);
    }
}
