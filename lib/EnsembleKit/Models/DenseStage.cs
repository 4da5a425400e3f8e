using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>A dense block: its layers registered as <c>layers.{l}</c>, so names read <c>stages.{s}.layers.{l}.…</c>.</summary>
internal sealed class DenseStage : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<DenseLayer> layers;

    public DenseStage(IEnumerable<DenseLayer> layers) : base("DenseStage")
    {
        this.layers = new ModuleList<DenseLayer>(layers.ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in layers) x = layer.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}
