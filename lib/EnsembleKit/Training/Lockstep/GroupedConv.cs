using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M 2-D convolutions of one shape (no padding, stride 1) as one grouped convolution: the members' channels side by side,
/// <c>groups = M</c>, weight <c>[M·out, in, k, k]</c> and bias <c>[M·out]</c> (the members' weights concatenated), so
/// member m maps input channels <c>m·in ..</c> to output channels <c>m·out ..</c> and nothing else.
/// </summary>
public sealed class GroupedConv
{
    readonly IReadOnlyList<(Parameter Weight, Parameter Bias)> members;

    public Parameter Weight { get; }
    public Parameter Bias { get; }
    /// <summary>Output channels per member.</summary>
    public long OutChannels { get; }

    /// <summary>Concatenates copies of the members' weights <c>[out, in, k, k]</c> and biases <c>[out]</c>.</summary>
    public GroupedConv(IReadOnlyList<(Parameter Weight, Parameter Bias)> members)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one member layer.", nameof(members));
        this.members = members;
        OutChannels = members[0].Weight.shape[0];
        Weight = Stacked.Parameter(members.Select(p => p.Weight).ToList(), stack: false);
        Bias = Stacked.Parameter(members.Select(p => p.Bias).ToList(), stack: false);
    }

    /// <summary><paramref name="x"/> <c>[B, M·in, H, W]</c> → <c>[B, M·out, H-k+1, W-k+1]</c>.</summary>
    public Tensor Forward(Tensor x) => nn.functional.conv2d(x, Weight, Bias, groups: members.Count);

    /// <summary>Copies member m's channels back into member m's weight and bias.</summary>
    public void WriteBack()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (int m = 0; m < members.Count; m++)
        {
            members[m].Weight.copy_(Weight.narrow(0, m * OutChannels, OutChannels));
            members[m].Bias.copy_(Bias.narrow(0, m * OutChannels, OutChannels));
        }
    }
}
