using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M 2-D convolutions of one shape (stride 1, no padding, as in <see cref="Models.LeNet"/>) held as one stacked weight
/// <c>[M, out, in, k, k]</c> and bias <c>[M, out]</c>, applied member by member in one graph to inputs
/// <c>[M, B, in, H, W]</c>.
/// </summary>
/// <remarks>
/// Not one grouped convolution (members' channels side by side, <c>groups = M</c>): measured on this CPU build
/// (libtorch 2.10, 2 threads, batch 128, 32×32), forward and backward of LeNet-S's first convolution for 4 members
/// took 88-126 ms grouped against 31-39 ms member by member; the second convolution 26-28 ms against 32-34 ms.
/// </remarks>
public sealed class StackedConv2d
{
    readonly IReadOnlyList<(Parameter Weight, Parameter Bias)> members;

    public Parameter Weight { get; }
    public Parameter Bias { get; }

    /// <summary>Stacks copies of the members' weights <c>[out, in, k, k]</c> and biases <c>[out]</c>.</summary>
    public StackedConv2d(IReadOnlyList<(Parameter Weight, Parameter Bias)> members)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one member layer.", nameof(members));
        this.members = members;
        Weight = Stacked.Parameter(members.Select(p => (Tensor)p.Weight).ToList());
        Bias = Stacked.Parameter(members.Select(p => (Tensor)p.Bias).ToList());
    }

    /// <summary><paramref name="x"/> <c>[M, B, in, H, W]</c> → <c>[M, B, out, H-k+1, W-k+1]</c>.</summary>
    public Tensor Forward(Tensor x) => Stacked.PerMember(x, Weight, Bias, (xm, w, b) => nn.functional.conv2d(xm, w, b));

    /// <summary>
    /// All members in one grouped convolution: <paramref name="x"/> <c>[B, M·in, H, W]</c> (member m's channels at
    /// <c>m·in .. m·in + in - 1</c>) → <c>[B, M·out, H-k+1, W-k+1]</c> in the same member-major channel order.
    /// </summary>
    public Tensor ForwardGrouped(Tensor x) =>
        nn.functional.conv2d(x, Weight.flatten(0, 1), Bias.flatten(), groups: Weight.shape[0]);

    /// <summary>Copies member m's slice back into member m's weight and bias.</summary>
    public void WriteBack()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (int m = 0; m < members.Count; m++)
        {
            members[m].Weight.copy_(Weight[m]);
            members[m].Bias.copy_(Bias[m]);
        }
    }
}
