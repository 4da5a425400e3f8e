using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Wide residual network WRN-d-k (Zagoruyko &amp; Komodakis 2016) for CIFAR: a 3×3 convolution to 16 channels, three
/// stages of n = (d − 4) / 6 pre-activation blocks of widths 16k, 32k, 64k (strides 1, 2, 2), then batch norm, ReLU,
/// global average pooling and a linear classifier. Dropout between the two convolutions of every block
/// (<c>dropoutRate</c>; the paper's 0.3, seed 002's "MC dropout" WRN-28-10). Published sizes (paper, Table 1/4):
/// WRN-28-10 36.5M, WRN-16-4 2.7M, WRN-40-4 8.9M, WRN-16-8 11.0M. Convolutions have no bias, He-normal (fan-out)
/// initialisation. Call <c>eval()</c> before inference so batch norm uses its running statistics (and dropout is off).
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names (stable, for permutation specs): <c>stem.weight [16, in, 3, 3]</c>;
/// <c>stages.{s}.blocks.{b}.bn1.*</c>, <c>…conv1.weight</c>, <c>…bn2.*</c>, <c>…conv2.weight</c>, and in each stage's first block
/// (where the width or stride changes) <c>stages.{s}.blocks.0.shortcut.weight</c>; <c>bn.*</c> (the final batch norm);
/// <c>classifier.weight [C, 64k]</c>, <c>classifier.bias</c>.</para>
/// </summary>
public sealed class WideResNet : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public int Depth { get; }
    public int WidenFactor { get; }
    public double DropoutRate { get; }

    readonly Conv2d stem;
    readonly ModuleList<ResidualStage> stages;
    readonly BatchNorm2d bn;
    readonly Linear classifier;

    public WideResNet(int depth, int widenFactor, int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.0) : base("WideResNet")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("WideResNet", classCount, inChannels, imageSize);
        ModelGuards.RequireDropout("WideResNet", dropoutRate);
        if (depth < 10 || (depth - 4) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), $"a WRN has depth 6n + 4 (10, 16, 22, 28, 40, ...); got {depth}.");
        if (widenFactor < 1) throw new ArgumentOutOfRangeException(nameof(widenFactor), $"WRN widen factor must be positive; got {widenFactor}.");
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Depth = depth;
        WidenFactor = widenFactor;
        DropoutRate = dropoutRate;
        int n = (depth - 4) / 6;
        int[] widths = [16 * widenFactor, 32 * widenFactor, 64 * widenFactor];
        stem = nn.Conv2d(inChannels, 16, 3, padding: 1, bias: false);
        var stageList = new List<ResidualStage>();
        int channels = 16;
        for (int s = 0; s < 3; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < n; b++)
            {
                blocks.Add(new WideBlock(channels, widths[s], s > 0 && b == 0 ? 2 : 1, dropoutRate));
                channels = widths[s];
            }
            stageList.Add(new ResidualStage(blocks));
        }
        stages = new ModuleList<ResidualStage>(stageList.ToArray());
        bn = nn.BatchNorm2d(widths[2]);
        classifier = nn.Linear(widths[2], classCount);
        RegisterComponents();
        WeightInit.HeNormalConvolutions(this);
    }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "WideResNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = stem.forward(input);
        foreach (var stage in stages) x = stage.forward(x);
        x = nn.functional.relu(bn.forward(x));
        return classifier.forward(x.mean([2L, 3L])).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"WRN-{Depth}-{WidenFactor} (dropout {DropoutRate}) {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
