using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Seed 003's "train the sum" baseline: L networks whose logits are summed, <c>F = sum_l f_l</c>, trained jointly as one
/// large model (the loss sees only the sum). It shows that an ensemble's gain is not just that of a bigger model.
/// </summary>
public sealed class SumOfMembers : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> members;

    public SumOfMembers(IEnumerable<nn.Module<Tensor, Tensor>> members) : base("SumOfMembers")
    {
        this.members = new TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>>(members.ToArray());
        if (this.members.Count == 0) throw new ArgumentException("the sum needs at least one member.", nameof(members));
        RegisterComponents();
    }

    public int Count => members.Count;

    /// <summary>The summed logits <c>[B, C]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        foreach (var member in members)
        {
            var logits = member.forward(input);
            sum = sum is null ? logits : sum + logits;
        }
        return sum!.MoveToOuterDisposeScope();
    }
}
