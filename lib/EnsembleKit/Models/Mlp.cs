using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// A fully connected network built from a layer spec such as seed 000's <c>[(784, 512), (512, 10)]</c>:
/// one <c>Linear(in, out)</c> per pair, ReLU between layers, raw logits out. Inputs <c>[B, in]</c>
/// float32 (higher-rank inputs are flattened); outputs <c>[B, out]</c>.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    public IReadOnlyList<(int In, int Out)> Spec { get; }
    public double DropoutRate { get; }
    readonly ModuleList<Linear> layers;
    readonly Dropout? dropout;

    public Mlp(IReadOnlyList<(int In, int Out)> spec, double dropoutRate = 0.0) : base("Mlp")
    {
        TorchRuntime.EnsureInitialized();
        Spec = MlpSpec.Validate(spec);
        if (dropoutRate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropoutRate), $"dropout must be in [0, 1); got {dropoutRate}.");
        DropoutRate = dropoutRate;
        layers = new ModuleList<Linear>(spec.Select(s => nn.Linear(s.In, s.Out)).ToArray());
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Seed 000's network: 784-512-10.</summary>
    public static Mlp Seed000() => new([(784, 512), (512, 10)]);

    /// <summary>The linear layers in order (for weight-space methods).</summary>
    public IReadOnlyList<Linear> Layers => layers.ToList();

    public int InputSize => Spec[0].In;
    public int OutputSize => Spec[^1].Out;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = MlpSpec.Flatten(input, InputSize, "Mlp");
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1)
            {
                x = nn.functional.relu(x);
                if (dropout is not null) x = dropout.forward(x);
            }
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The hidden layers' outputs after ReLU (dropout not applied), one <c>[B, width]</c> tensor per hidden layer,
    /// e.g. for activation matching or representation similarity.
    /// </summary>
    public IReadOnlyList<Tensor> HiddenActivations(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dim() == 2 ? input : input.flatten(1);
        var hidden = new List<Tensor>();
        for (int i = 0; i < layers.Count - 1; i++)
        {
            x = nn.functional.relu(layers[i].forward(x));
            hidden.Add(x);
        }
        foreach (var h in hidden) h.MoveToOuterDisposeScope();
        return hidden;
    }

    /// <summary>A new untrained network with the same spec (and dropout).</summary>
    public Mlp CloneArchitecture() => new(Spec, DropoutRate);

    public override string ToString() => $"Mlp({string.Join("-", Spec.Select(s => s.In).Append(OutputSize))})";
}
