using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// One DenseNet layer: plain <c>conv1(relu(bn1(x)))</c> (3×3 to k channels) or bottleneck
/// <c>conv2(relu(bn2(conv1(relu(bn1(x))))))</c> (1×1 to 4k, then 3×3 to k), dropout after each convolution;
/// the output is <c>cat([x, new], dim 1)</c>. Parameters: <c>bn1.* [in]</c>, <c>conv1.weight</c>, and for bottlenecks
/// <c>bn2.* [4k]</c>, <c>conv2.weight [k, 4k, 3, 3]</c>. Convolutions have no bias.
/// </summary>
internal sealed class DenseLayer : nn.Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn1;
    readonly Conv2d conv1;
    readonly BatchNorm2d? bn2;
    readonly Conv2d? conv2;
    readonly Dropout? dropout;

    public DenseLayer(int inChannels, int growthRate, bool bottleneck, double dropoutRate) : base("DenseLayer")
    {
        bn1 = nn.BatchNorm2d(inChannels);
        if (bottleneck)
        {
            conv1 = nn.Conv2d(inChannels, 4 * growthRate, 1, bias: false);
            bn2 = nn.BatchNorm2d(4 * growthRate);
            conv2 = nn.Conv2d(4 * growthRate, growthRate, 3, padding: 1, bias: false);
        }
        else
        {
            conv1 = nn.Conv2d(inChannels, growthRate, 3, padding: 1, bias: false);
        }
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var y = Drop(conv1.forward(nn.functional.relu(bn1.forward(input))));
        if (bn2 is not null && conv2 is not null) y = Drop(conv2.forward(nn.functional.relu(bn2.forward(y))));
        return cat([input, y], 1).MoveToOuterDisposeScope();
    }

    Tensor Drop(Tensor x) => dropout is null ? x : dropout.forward(x);
}
