using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The random-features (Gaussian-process, "GP") model of a one-hidden-layer ReLU network: the first layer
/// <c>W0 [m, d], b0 [m]</c> stays at its random initialisation (frozen buffers) and only the last layer is trained,
/// <c>f(x) = A relu(W0 x + b0) + c</c> with <c>A [C, m], c [C]</c>: a linear model on fixed random ReLU features, i.e.
/// kernel regression with the network's conjugate (NNGP) kernel, the GP models of seed 003's E3.2 (Allen-Zhu and Li 2020).
/// Both layers are drawn like a <see cref="Mlp"/> <c>d-m-C</c>'s (PyTorch's default init, from the global generator, in
/// the same order, so the same seed gives the same start as <c>new Mlp([(d, m), (m, C)])</c>).
/// Inputs <c>[B, d]</c> float32 (higher-rank inputs are flattened); outputs logits <c>[B, C]</c>.
/// </summary>
public sealed class RandomFeatureMlp : nn.Module<Tensor, Tensor>
{
    // Buffers are looked up by name because moving the module to a device replaces the tensors.
    const string HiddenWeight = "hidden_weight", HiddenBias = "hidden_bias";
    readonly Linear output;

    public int InputSize { get; }
    public int Width { get; }
    public int Classes { get; }

    public RandomFeatureMlp(int inputSize, int width, int classes) : base("RandomFeatureMlp")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireLayerSizes(inputSize, width, classes);
        InputSize = inputSize;
        Width = width;
        Classes = classes;
        // The first layer is drawn before the last, as in Mlp, then frozen as buffers.
        using var hidden = nn.Linear(inputSize, width);
        output = nn.Linear(width, classes);
        RegisterComponents();
        register_buffer(HiddenWeight, hidden.weight!.detach().clone());
        register_buffer(HiddenBias, hidden.bias!.detach().clone());
    }

    /// <summary>The trained last layer (<c>A [C, m]</c>, <c>c [C]</c>).</summary>
    public Linear Output => output;

    /// <summary>The fixed random features <c>relu(W0 x + b0)</c>, <c>[B, m]</c>.</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dim() == 2 ? input : input.flatten(1);
        if (x.dim() != 2 || x.shape[1] != InputSize)
            throw new ArgumentException($"RandomFeatureMlp expects inputs [B, {InputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        return nn.functional.relu(nn.functional.linear(x, get_buffer(HiddenWeight)!, get_buffer(HiddenBias)!)).MoveToOuterDisposeScope();
    }

    /// <summary>The logits <c>[B, C]</c> for inputs <c>[B, d]</c> (or <c>[B, ...]</c> with d elements per sample).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return output.forward(Features(input)).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomFeatureMlp({InputSize}-{Width}-{Classes})";
}
