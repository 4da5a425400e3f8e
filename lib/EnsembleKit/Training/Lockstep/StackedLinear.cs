using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M linear layers of one shape as one batched matrix product: weight <c>[M, out, in]</c>, bias <c>[M, out]</c>
/// (the members' <c>Linear</c> weights stacked), <c>y[m] = x[m] · W[m]ᵀ + b[m]</c> by one <c>bmm</c>.
/// </summary>
public sealed class StackedLinear
{
    readonly IReadOnlyList<Linear> members;

    public Parameter Weight { get; }
    public Parameter Bias { get; }

    /// <summary>Stacks copies of the members' weights; they stay the members' own until <see cref="WriteBack"/>.</summary>
    public StackedLinear(IReadOnlyList<Linear> members)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one member layer.", nameof(members));
        if (members.Any(l => l.bias is null)) throw new ArgumentException("every member layer needs a bias.", nameof(members));
        this.members = members;
        Weight = Stacked.Parameter(members.Select(l => l.weight!).ToList(), stack: true);
        Bias = Stacked.Parameter(members.Select(l => l.bias!).ToList(), stack: true);
    }

    /// <summary><paramref name="x"/> <c>[M, B, in]</c> → <c>[M, B, out]</c>.</summary>
    /// <remarks>bmm then an in-place bias add, not baddbmm: TorchSharp 0.107.0's <c>baddbmm</c> (static and instance)
    /// hands libtorch its three tensors in another order (it fails with a shape error naming the bias as batch1).</remarks>
    public Tensor Forward(Tensor x) => x.bmm(Weight.transpose(1, 2)).add_(Bias.unsqueeze(1));

    /// <summary>Copies member m's slice back into member m's <c>Linear</c>.</summary>
    public void WriteBack()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (int m = 0; m < members.Count; m++)
        {
            members[m].weight!.copy_(Weight[m]);
            members[m].bias!.copy_(Bias[m]);
        }
    }
}
