using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Densely connected network (Huang et al. 2017) shaped by a <see cref="DenseNetConfig"/>: a stem, dense blocks
/// separated by transitions (each halving the resolution), then batch norm, ReLU, global average pooling and a linear
/// classifier. Published sizes (CIFAR, 10 classes): DenseNet-40 (k = 12) 1.0M, DenseNet-BC-100 (k = 12) 0.8M,
/// DenseNet-100 (k = 24) 27.2M (Huang et al. Table 2); DenseNet-121 with the ImageNet stem and 1000 classes
/// 7,978,856 (torchvision; "8.0M" in seed 002's Table 4.1). Dropout after every convolution (<c>dropoutRate</c>;
/// Huang et al. use 0.2 without augmentation). Convolutions have no bias, He-normal (fan-out) initialisation.
/// Call <c>eval()</c> before inference so batch norm uses its running statistics. Growth 12 leaves channel counts
/// off oneDNN's blocks, which is safe only with the kit's zero-filled CPU allocator (<c>Backend.CpuAllocatorFill</c>).
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names (stable, for permutation specs): <c>stem.conv.weight</c> (and <c>stem.bn.*</c> for the
/// ImageNet stem); <c>stages.{s}.layers.{l}.bn1.*</c>, <c>…conv1.weight</c>, and for bottleneck layers <c>…bn2.*</c>,
/// <c>…conv2.weight</c>; <c>transitions.{t}.bn.*</c>, <c>transitions.{t}.conv.weight</c> (between stage t and t + 1);
/// <c>bn.*</c> (final); <c>classifier.weight [C, channels]</c>, <c>classifier.bias</c>. Channel order: a layer's input
/// is the block input followed by the earlier layers' outputs in order.</para>
/// </summary>
public sealed class DenseNet : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public DenseNetConfig Config { get; }
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public StemKind Stem { get; }
    public double DropoutRate { get; }

    /// <summary>Channels entering the classifier.</summary>
    public int FeatureChannels { get; }

    readonly Sequential stem;
    readonly ModuleList<DenseStage> stages;
    readonly ModuleList<DenseTransition> transitions;
    readonly BatchNorm2d bn;
    readonly Linear classifier;

    public DenseNet(DenseNetConfig config, int classCount = 10, int inChannels = 3, int imageSize = 32,
        StemKind stem = StemKind.Cifar, double dropoutRate = 0.0) : base("DenseNet")
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(config);
        ModelGuards.RequireImageArguments("DenseNet", classCount, inChannels, imageSize);
        ModelGuards.RequireDropout("DenseNet", dropoutRate);
        if (config.GrowthRate < 1 || config.StemChannels < 1 || config.LayersPerBlock.Count == 0 || config.LayersPerBlock.Any(n => n < 1))
            throw new ArgumentOutOfRangeException(nameof(config), $"DenseNet needs a positive growth rate, stem width and layer counts; got {config}.");
        if (config.Compression is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(config), $"DenseNet compression must be in (0, 1]; got {config.Compression}.");
        long size = stem == StemKind.ImageNet ? (imageSize + 3) / 4 : imageSize;
        for (int t = 0; t < config.LayersPerBlock.Count - 1; t++) size /= 2;
        ModelGuards.RequireSpatial("DenseNet", imageSize, size, "after the transitions");
        Config = config;
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Stem = stem;
        DropoutRate = dropoutRate;

        this.stem = stem == StemKind.Cifar
            ? nn.Sequential(("conv", nn.Conv2d(inChannels, config.StemChannels, 3, padding: 1, bias: false)))
            : nn.Sequential(
                ("conv", nn.Conv2d(inChannels, config.StemChannels, 7, stride: 2, padding: 3, bias: false)),
                ("bn", nn.BatchNorm2d(config.StemChannels)),
                ("relu", nn.ReLU()),
                ("pool", nn.MaxPool2d(3, 2, 1)));
        var stageList = new List<DenseStage>();
        var transitionList = new List<DenseTransition>();
        int channels = config.StemChannels;
        for (int s = 0; s < config.LayersPerBlock.Count; s++)
        {
            var layers = new List<DenseLayer>();
            for (int l = 0; l < config.LayersPerBlock[s]; l++)
            {
                layers.Add(new DenseLayer(channels, config.GrowthRate, config.Bottleneck, dropoutRate));
                channels += config.GrowthRate;
            }
            stageList.Add(new DenseStage(layers));
            if (s < config.LayersPerBlock.Count - 1)
            {
                int next = (int)Math.Floor(config.Compression * channels);
                transitionList.Add(new DenseTransition(channels, next, dropoutRate));
                channels = next;
            }
        }
        stages = new ModuleList<DenseStage>(stageList.ToArray());
        transitions = new ModuleList<DenseTransition>(transitionList.ToArray());
        FeatureChannels = channels;
        bn = nn.BatchNorm2d(channels);
        classifier = nn.Linear(channels, classCount);
        RegisterComponents();
        WeightInit.HeNormalConvolutions(this);
    }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "DenseNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = stem.forward(input);
        for (int s = 0; s < stages.Count; s++)
        {
            x = stages[s].forward(x);
            if (s < transitions.Count) x = transitions[s].forward(x);
        }
        x = nn.functional.relu(bn.forward(x));
        return classifier.forward(x.mean([2L, 3L])).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"{Config} ({Stem} stem) {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
