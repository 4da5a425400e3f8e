using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>One VGG convolution: <c>relu(bn(conv(x)))</c> (3×3, padding 1, with bias); <c>conv.*</c>, optional <c>bn.*</c>.</summary>
internal sealed class VggLayer : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly BatchNorm2d? bn;

    public VggLayer(int inChannels, int outChannels, bool batchNorm) : base("VggLayer")
    {
        conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        if (batchNorm) bn = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv.forward(input);
        if (bn is not null) x = bn.forward(x);
        return nn.functional.relu(x).MoveToOuterDisposeScope();
    }
}
