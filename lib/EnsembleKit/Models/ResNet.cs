using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Residual network of post-activation basic blocks (He et al. 2016): a stem, stages of blocks (the first stage at
/// stride 1, every later stage halving the resolution in its first block), global average pooling and a linear
/// classifier. Two families:
/// <list type="bullet">
/// <item><see cref="Cifar"/>: ResNet-6n+2 for CIFAR (§4.2 of the paper): widths 16/32/64, n blocks a stage, 3×3 stem,
/// zero-padding (option A) shortcuts. ResNet-20/32/44/56/110 have 0.27M/0.46M/0.66M/0.85M/1.7M parameters (Table 6).</item>
/// <item><see cref="ResNet18"/>/<see cref="ResNet34"/>: widths 64/128/256/512, projection shortcuts; with the CIFAR stem
/// (3×3 convolution, no max pool; the common CIFAR variant, 11,173,962 parameters for 10 classes) or torchvision's
/// ImageNet stem (11,689,512 for 1000 classes).</item>
/// </list>
/// Convolutions have no bias and He-normal (fan-out) initialisation; batch norm starts at scale 1, shift 0. Call
/// <c>eval()</c> before inference so batch norm uses its running statistics.
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names (stable, for permutation specs): <c>stem.conv.weight [w0, in, k, k]</c>, <c>stem.bn.*</c>;
/// <c>stages.{s}.blocks.{b}.conv1.weight</c>, <c>…bn1.*</c>, <c>…conv2.weight</c>, <c>…bn2.*</c>, and with projection
/// shortcuts <c>stages.{s}.blocks.0.shortcut.conv.weight</c>, <c>…shortcut.bn.*</c> where the shape changes;
/// <c>classifier.weight [C, w_last]</c>, <c>classifier.bias</c>. <c>bn.*</c> stands for <c>weight</c>, <c>bias</c> and the
/// buffers <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.</para>
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public IReadOnlyList<int> Widths { get; }
    public IReadOnlyList<int> BlocksPerStage { get; }
    public ResNetShortcut Shortcut { get; }
    public StemKind Stem { get; }

    readonly Sequential stem;
    readonly ModuleList<ResidualStage> stages;
    readonly Linear classifier;

    public ResNet(IReadOnlyList<int> widths, IReadOnlyList<int> blocksPerStage, ResNetShortcut shortcut, int classCount = 10,
        int inChannels = 3, int imageSize = 32, StemKind stem = StemKind.Cifar) : base("ResNet")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("ResNet", classCount, inChannels, imageSize);
        if (widths.Count == 0 || widths.Count != blocksPerStage.Count)
            throw new ArgumentException($"ResNet needs one block count per stage width; got {widths.Count} widths and {blocksPerStage.Count} block counts.", nameof(blocksPerStage));
        if (widths.Any(w => w < 1) || blocksPerStage.Any(b => b < 1))
            throw new ArgumentOutOfRangeException(nameof(widths), $"ResNet widths and block counts must be positive; got widths [{string.Join(", ", widths)}], blocks [{string.Join(", ", blocksPerStage)}].");
        long size = stem == StemKind.ImageNet ? (imageSize + 1) / 2 : imageSize;
        if (stem == StemKind.ImageNet) size = (size + 1) / 2;
        ModelGuards.RequireSpatial("ResNet", imageSize, size, "after the stem");
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Widths = widths.ToArray();
        BlocksPerStage = blocksPerStage.ToArray();
        Shortcut = shortcut;
        Stem = stem;

        this.stem = stem == StemKind.Cifar
            ? nn.Sequential(
                ("conv", nn.Conv2d(inChannels, widths[0], 3, padding: 1, bias: false)),
                ("bn", nn.BatchNorm2d(widths[0])),
                ("relu", nn.ReLU()))
            : nn.Sequential(
                ("conv", nn.Conv2d(inChannels, widths[0], 7, stride: 2, padding: 3, bias: false)),
                ("bn", nn.BatchNorm2d(widths[0])),
                ("relu", nn.ReLU()),
                ("pool", nn.MaxPool2d(3, 2, 1)));
        var stageList = new List<ResidualStage>();
        int channels = widths[0];
        for (int s = 0; s < widths.Count; s++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                blocks.Add(new BasicBlock(channels, widths[s], s > 0 && b == 0 ? 2 : 1, shortcut));
                channels = widths[s];
            }
            stageList.Add(new ResidualStage(blocks));
        }
        stages = new ModuleList<ResidualStage>(stageList.ToArray());
        classifier = nn.Linear(widths[^1], classCount);
        RegisterComponents();
        WeightInit.HeNormalConvolutions(this);
    }

    /// <summary>
    /// He et al.'s CIFAR ResNet of <paramref name="depth"/> = 6n + 2 layers (20, 32, 44, 56, 110, …): widths 16/32/64,
    /// n basic blocks a stage, option-A (zero-padding) shortcuts.
    /// </summary>
    public static ResNet Cifar(int depth, int classCount = 10, int inChannels = 3, int imageSize = 32)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), $"a CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110, ...); got {depth}.");
        int n = (depth - 2) / 6;
        return new ResNet([16, 32, 64], [n, n, n], ResNetShortcut.ZeroPad, classCount, inChannels, imageSize);
    }

    /// <summary>ResNet-18: blocks [2, 2, 2, 2], widths 64/128/256/512, projection shortcuts.</summary>
    public static ResNet ResNet18(int classCount = 10, int inChannels = 3, int imageSize = 32, StemKind stem = StemKind.Cifar) =>
        new([64, 128, 256, 512], [2, 2, 2, 2], ResNetShortcut.Projection, classCount, inChannels, imageSize, stem);

    /// <summary>ResNet-34: blocks [3, 4, 6, 3], widths 64/128/256/512, projection shortcuts.</summary>
    public static ResNet ResNet34(int classCount = 10, int inChannels = 3, int imageSize = 32, StemKind stem = StemKind.Cifar) =>
        new([64, 128, 256, 512], [3, 4, 6, 3], ResNetShortcut.Projection, classCount, inChannels, imageSize, stem);

    /// <summary>Weighted layers: stem, two per block, classifier (projection convolutions not counted), as in the names "ResNet-20" and "ResNet-18".</summary>
    public int Depth => 2 + 2 * BlocksPerStage.Sum();

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "ResNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = stem.forward(input);
        foreach (var stage in stages) x = stage.forward(x);
        return classifier.forward(x.mean([2L, 3L])).MoveToOuterDisposeScope();
    }

    public override string ToString() =>
        $"ResNet-{Depth} (widths {string.Join("/", Widths)}, {Shortcut} shortcuts, {Stem} stem) {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
