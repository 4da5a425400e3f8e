using System.Globalization;
using System.Text.RegularExpressions;
using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The CNN zoo by name, so notebooks can loop over architectures: <c>ModelRegistry.Create("resnet20", 10)</c>.
/// Names are case-insensitive. Besides the listed names, <c>resnet{6n+2}</c> (CIFAR ResNet of any depth) and
/// <c>wrn-{d}-{k}</c> (any WRN) are accepted. Weights come from the global generator: call
/// <c>manual_seed</c> (or <see cref="TorchRuntime.Seed"/>) before creating a model to fix them.
/// </summary>
public static partial class ModelRegistry
{
    delegate nn.Module<Tensor, Tensor> Build(int classCount, ModelOptions options);

    sealed record Registered(ModelEntry Entry, Build Build);

    static readonly Registered[] Known =
    [
        new(new("lenet-s", "LeNet-5, widths (16, 32, 256, 128)", "253,290", "seed 002, dissertation §5.3"),
            (c, o) => new LeNet(LeNetWidths.Small, c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.0)),
        new(new("lenet-m", "LeNet-5, widths (32, 64, 512, 256)", "1,007,306", "seed 002, dissertation §5.3"),
            (c, o) => new LeNet(LeNetWidths.Medium, c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.0)),
        new(new("lenet-l", "LeNet-5, widths (64, 128, 1024, 512)", "4,017,546", "seed 002, dissertation §5.3"),
            (c, o) => new LeNet(LeNetWidths.Large, c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.0)),
        new(new("small-cnn", "seed 001's SmallCNN: conv 16/32/32, GAP, FC 32", "15,722", "ayulockin/LossLandscape SmallCNN_Cifar10.ipynb (Keras summary)"),
            (c, o) => new SmallCnn(c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.1)),
        new(new("medium-cnn", "seed 001's MediumCNN: conv 32/64/128/128, GAP, FC 32", "245,290", "ayulockin/LossLandscape MediumCNN_Cifar10.ipynb (Keras summary)"),
            (c, o) => new MediumCnn(c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.1)),
        CifarResNet(20, "0.27M"),
        CifarResNet(32, "0.46M"),
        CifarResNet(44, "0.66M"),
        CifarResNet(56, "0.85M"),
        CifarResNet(110, "1.7M"),
        new(new("resnet18", "ResNet-18, CIFAR stem (3x3 conv, no max pool), projection shortcuts", "11.2M", "CIFAR variant of torchvision's resnet18 (11.7M with ImageNet stem and 1000 classes, seed 002 Table 4.1)"),
            (c, o) => NoDropout("resnet18", o, () => ResNet.ResNet18(c, o.InChannels, o.ImageSize))),
        new(new("resnet34", "ResNet-34, CIFAR stem, projection shortcuts", "21.3M", "CIFAR variant of torchvision's resnet34 (21.8M with ImageNet stem and 1000 classes)"),
            (c, o) => NoDropout("resnet34", o, () => ResNet.ResNet34(c, o.InChannels, o.ImageSize))),
        Wrn(16, 4, "2.7M"),
        Wrn(16, 8, "11.0M"),
        Wrn(28, 10, "36.5M"),
        Wrn(40, 4, "8.9M"),
        new(new("vgg16-bn", "VGG-16 with batch norm, MLP head 512-512 with dropout 0.5", "15M", "Garipov et al. 2018 (FGE) / Ashukha et al. 2020 VGG16BN code: 15,253,578"),
            (c, o) => new Vgg(16, batchNorm: true, VggHead.Mlp, c, o.InChannels, o.ImageSize, o.DropoutRate)),
        new(new("vgg16", "VGG-16 without batch norm, MLP head 512-512 with dropout 0.5", "15M", "Garipov et al. 2018 (FGE) VGG16 code: 15,245,130"),
            (c, o) => new Vgg(16, batchNorm: false, VggHead.Mlp, c, o.InChannels, o.ImageSize, o.DropoutRate)),
        new(new("densenet-40", "DenseNet (L=40, k=12), no bottleneck or compression", "1.0M", "Huang et al. 2017, Table 2"),
            (c, o) => new DenseNet(DenseNetConfig.DenseNet40, c, o.InChannels, o.ImageSize, StemKind.Cifar, o.DropoutRate ?? 0.0)),
        new(new("densenet-bc-100", "DenseNet-BC (L=100, k=12)", "0.8M", "Huang et al. 2017, Table 2"),
            (c, o) => new DenseNet(DenseNetConfig.DenseNetBC100, c, o.InChannels, o.ImageSize, StemKind.Cifar, o.DropoutRate ?? 0.0)),
        new(new("densenet-100", "DenseNet (L=100, k=24), no bottleneck or compression", "27.2M", "Huang et al. 2017, Table 2"),
            (c, o) => new DenseNet(DenseNetConfig.DenseNet100, c, o.InChannels, o.ImageSize, StemKind.Cifar, o.DropoutRate ?? 0.0)),
        new(new("densenet-121", "DenseNet-121 (k=32, blocks 6/12/24/16), CIFAR stem (3x3 conv to 64)", "7,978,856 (ImageNet stem, 1000 classes)", "torchvision densenet121; '8.0M' in seed 002 Table 4.1"),
            (c, o) => new DenseNet(DenseNetConfig.DenseNet121, c, o.InChannels, o.ImageSize, StemKind.Cifar, o.DropoutRate ?? 0.0)),
    ];

    /// <summary>Every listed architecture, in zoo order.</summary>
    public static IReadOnlyList<ModelEntry> Entries { get; } = Known.Select(k => k.Entry).ToArray();

    /// <summary>The listed names (the patterns <c>resnet{6n+2}</c> and <c>wrn-{d}-{k}</c> are accepted too).</summary>
    public static IReadOnlyList<string> Names { get; } = Known.Select(k => k.Entry.Name).ToArray();

    /// <summary>
    /// A new, randomly initialised model: inputs <c>[B, options.InChannels, options.ImageSize, options.ImageSize]</c>
    /// float32, logits <c>[B, classCount]</c>. Unknown names throw <see cref="ArgumentException"/> listing the known ones.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Create(string name, int classCount = 10, ModelOptions? options = null)
    {
        TorchRuntime.EnsureInitialized();
        return Resolve(name)(classCount, options ?? ModelOptions.Cifar);
    }

    /// <summary>
    /// A factory for <paramref name="name"/> (checked now), e.g. for
    /// <c>DeepEnsemble.Train(ModelRegistry.Factory("resnet20", 10), ...)</c>; every call makes a new model from the
    /// global generator's current state.
    /// </summary>
    public static Func<nn.Module<Tensor, Tensor>> Factory(string name, int classCount = 10, ModelOptions? options = null)
    {
        var build = Resolve(name);
        var resolved = options ?? ModelOptions.Cifar;
        return () =>
        {
            TorchRuntime.EnsureInitialized();
            return build(classCount, resolved);
        };
    }

    /// <summary>True when <paramref name="name"/> is listed or matches a pattern.</summary>
    public static bool IsKnown(string name) => TryResolve(name) is not null;

    /// <summary>Number of trainable parameters (buffers such as batch-norm running statistics not counted).</summary>
    public static long ParameterCount(nn.Module model) => model.parameters().Sum(p => p.numel());

    static Build Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryResolve(name) ?? throw new ArgumentException(
            $"unknown model '{name}'. Known: {string.Join(", ", Names)}; also resnet{{6n+2}} (e.g. resnet8, resnet1202) and wrn-{{d}}-{{k}} with d = 6n+4 (e.g. wrn-22-8).",
            nameof(name));
    }

    static Build? TryResolve(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        var listed = Known.FirstOrDefault(k => k.Entry.Name == key);
        if (listed is not null) return listed.Build;
        var resnet = ResNetPattern().Match(key);
        if (resnet.Success && int.Parse(resnet.Groups[1].Value, CultureInfo.InvariantCulture) is var depth && depth >= 8 && (depth - 2) % 6 == 0)
            return (c, o) => NoDropout(key, o, () => ResNet.Cifar(depth, c, o.InChannels, o.ImageSize));
        var wrn = WrnPattern().Match(key);
        if (wrn.Success && int.Parse(wrn.Groups[1].Value, CultureInfo.InvariantCulture) is var d && d >= 10 && (d - 4) % 6 == 0
            && int.Parse(wrn.Groups[2].Value, CultureInfo.InvariantCulture) is var k && k >= 1)
            return (c, o) => new WideResNet(d, k, c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.0);
        return null;
    }

    static Registered CifarResNet(int depth, string published) =>
        new(new($"resnet{depth}", $"CIFAR ResNet-{depth}: 3 stages x {(depth - 2) / 6} basic blocks, widths 16/32/64, zero-padding shortcuts", published, "He et al. 2016, Table 6"),
            (c, o) => NoDropout($"resnet{depth}", o, () => ResNet.Cifar(depth, c, o.InChannels, o.ImageSize)));

    static Registered Wrn(int depth, int k, string published) =>
        new(new($"wrn-{depth}-{k}", $"Wide ResNet {depth}-{k}: pre-activation blocks, widths {16 * k}/{32 * k}/{64 * k}, dropout between convolutions", published, "Zagoruyko & Komodakis 2016"),
            (c, o) => new WideResNet(depth, k, c, o.InChannels, o.ImageSize, o.DropoutRate ?? 0.0));

    static nn.Module<Tensor, Tensor> NoDropout(string name, ModelOptions options, Func<nn.Module<Tensor, Tensor>> build)
    {
        if (options.DropoutRate is { } rate && rate != 0)
            throw new ArgumentException($"{name} has no dropout layers; got DropoutRate {rate}.", nameof(options));
        return build();
    }

    [GeneratedRegex(@"^resnet(\d{1,4})$")]
    private static partial Regex ResNetPattern();

    [GeneratedRegex(@"^wrn-(\d{1,4})-(\d{1,3})$")]
    private static partial Regex WrnPattern();
}
