using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The post-activation basic residual block of He et al. (2016):
/// <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))</c>, 3×3 convolutions without bias, the stride on conv1.
/// Parameters: <c>conv1.weight [out, in, 3, 3]</c>, <c>bn1.*</c>, <c>conv2.weight [out, out, 3, 3]</c>, <c>bn2.*</c>,
/// and for a projection shortcut where the shape changes <c>shortcut.conv.weight [out, in, 1, 1]</c>, <c>shortcut.bn.*</c>.
/// </summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Conv2d conv2;
    readonly BatchNorm2d bn2;
    readonly Sequential? shortcut;
    readonly int stride;
    readonly int padFront;
    readonly int padBack;

    public BasicBlock(int inChannels, int outChannels, int stride, ResNetShortcut kind) : base("BasicBlock")
    {
        this.stride = stride;
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        bool reshapes = stride != 1 || inChannels != outChannels;
        if (reshapes && kind == ResNetShortcut.Projection)
            shortcut = nn.Sequential(
                ("conv", nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false)),
                ("bn", nn.BatchNorm2d(outChannels)));
        if (reshapes && kind == ResNetShortcut.ZeroPad)
        {
            if (outChannels < inChannels)
                throw new ArgumentException($"a zero-padding shortcut cannot narrow {inChannels} channels to {outChannels}.");
            padFront = (outChannels - inChannels) / 2;
            padBack = outChannels - inChannels - padFront;
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.forward(conv1.forward(input)));
        x = bn2.forward(conv2.forward(x));
        x = x + Shortcut(input);
        return nn.functional.relu(x).MoveToOuterDisposeScope();
    }

    Tensor Shortcut(Tensor input)
    {
        if (shortcut is not null) return shortcut.forward(input);
        var x = input;
        if (stride != 1) x = x.slice(2, 0, x.shape[2], stride).slice(3, 0, x.shape[3], stride);
        if (padFront + padBack > 0) x = nn.functional.pad(x, [0, 0, 0, 0, padFront, padBack]);
        return x;
    }
}
