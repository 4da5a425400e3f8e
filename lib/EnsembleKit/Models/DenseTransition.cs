using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>A transition between dense blocks: <c>avgpool2(dropout(conv(relu(bn(x)))))</c> with a 1×1 convolution to
/// ⌊θ·in⌋ channels. Parameters: <c>bn.* [in]</c>, <c>conv.weight [out, in, 1, 1]</c>.</summary>
internal sealed class DenseTransition : nn.Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn;
    readonly Conv2d conv;
    readonly Dropout? dropout;

    public DenseTransition(int inChannels, int outChannels, double dropoutRate) : base("DenseTransition")
    {
        bn = nn.BatchNorm2d(inChannels);
        conv = nn.Conv2d(inChannels, outChannels, 1, bias: false);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = conv.forward(nn.functional.relu(bn.forward(input)));
        if (dropout is not null) x = dropout.forward(x);
        return nn.functional.avg_pool2d(x, 2).MoveToOuterDisposeScope();
    }
}
