using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>A run of blocks at one width, registered as <c>blocks.{i}</c> so that parameter names read
/// <c>stages.{s}.blocks.{i}.…</c>.</summary>
internal sealed class ResidualStage : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;

    public ResidualStage(IEnumerable<nn.Module<Tensor, Tensor>> blocks) : base("ResidualStage")
    {
        this.blocks = new ModuleList<nn.Module<Tensor, Tensor>>(blocks.ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Blocks => blocks.ToList();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var block in blocks) x = block.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}
