using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

/// <summary>A test model whose logits are its inputs times a learnable scalar: member outputs can be written by hand.</summary>
public sealed class ScaledIdentity : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter scale;

    public ScaledIdentity(double value) : base("ScaledIdentity")
    {
        scale = new TorchSharp.Modules.Parameter(tensor(new[] { (float)value }));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => input * scale;
}
