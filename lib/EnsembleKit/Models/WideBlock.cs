using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The pre-activation wide residual block of Zagoruyko &amp; Komodakis (2016), as in their reference code:
/// <c>o = relu(bn1(x)); y = conv2(dropout(relu(bn2(conv1(o))))); return y + (shortcut ? shortcut(o) : x)</c>,
/// 3×3 convolutions without bias, the stride on conv1, dropout between the convolutions.
/// Parameters: <c>bn1.* [in]</c>, <c>conv1.weight [out, in, 3, 3]</c>, <c>bn2.* [out]</c>, <c>conv2.weight [out, out, 3, 3]</c>,
/// and where the shape changes <c>shortcut.weight [out, in, 1, 1]</c> (a 1×1 convolution on the pre-activated input).
/// </summary>
internal sealed class WideBlock : nn.Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn1;
    readonly Conv2d conv1;
    readonly BatchNorm2d bn2;
    readonly Conv2d conv2;
    readonly Conv2d? shortcut;
    readonly Dropout? dropout;

    public WideBlock(int inChannels, int outChannels, int stride, double dropoutRate) : base("WideBlock")
    {
        bn1 = nn.BatchNorm2d(inChannels);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        if (stride != 1 || inChannels != outChannels)
            shortcut = nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var o = nn.functional.relu(bn1.forward(input));
        var y = nn.functional.relu(bn2.forward(conv1.forward(o)));
        if (dropout is not null) y = dropout.forward(y);
        y = conv2.forward(y);
        return (y + (shortcut is null ? input : shortcut.forward(o))).MoveToOuterDisposeScope();
    }
}
