using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// LeNet-5 as used by seed 002 (LeNet-S/M/L): <c>conv5×5(in→c1) → ReLU → maxpool2 → conv5×5(c1→c2) → ReLU → maxpool2
/// → flatten → FC(c2·s²→h1) → ReLU → FC(h1→h2) → ReLU → FC(h2→C)</c> with valid convolutions (s = 5 for 32×32
/// inputs, 4 for 28×28). With <c>dropoutRate &gt; 0</c> a dropout layer follows every hidden layer (seed 002's
/// "Dropout" baseline uses 0.5). PyTorch default initialisation.
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names (stable, for permutation specs): <c>conv1.weight [c1, in, 5, 5]</c>, <c>conv1.bias</c>,
/// <c>conv2.weight [c2, c1, 5, 5]</c>, <c>conv2.bias</c>, <c>fc1.weight [h1, c2·s²]</c> (input index
/// <c>channel·s² + row·s + col</c>), <c>fc1.bias</c>, <c>fc2.weight [h2, h1]</c>, <c>fc2.bias</c>,
/// <c>classifier.weight [C, h2]</c>, <c>classifier.bias</c>.</para>
/// </summary>
public sealed class LeNet : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public LeNetWidths Widths { get; }
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public double DropoutRate { get; }

    /// <summary>Side of the feature map after the second pooling (5 for 32×32 inputs).</summary>
    public int FeatureSize { get; }

    readonly Conv2d conv1;
    readonly Conv2d conv2;
    readonly Linear fc1;
    readonly Linear fc2;
    readonly Linear classifier;
    readonly Dropout? dropout;

    public LeNet(LeNetWidths widths, int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.0) : base("LeNet")
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(widths);
        ModelGuards.RequireImageArguments("LeNet", classCount, inChannels, imageSize);
        ModelGuards.RequireDropout("LeNet", dropoutRate);
        if (widths.Conv1 < 1 || widths.Conv2 < 1 || widths.Fc1 < 1 || widths.Fc2 < 1)
            throw new ArgumentOutOfRangeException(nameof(widths), $"LeNet widths must be positive; got {widths}.");
        int feature = ((imageSize - 4) / 2 - 4) / 2;
        ModelGuards.RequireSpatial("LeNet", imageSize, imageSize < 5 ? 0 : feature, "after the second 5x5 convolution and pooling");
        Widths = widths;
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        DropoutRate = dropoutRate;
        FeatureSize = feature;
        conv1 = nn.Conv2d(inChannels, widths.Conv1, 5);
        conv2 = nn.Conv2d(widths.Conv1, widths.Conv2, 5);
        fc1 = nn.Linear(widths.Conv2 * feature * feature, widths.Fc1);
        fc2 = nn.Linear(widths.Fc1, widths.Fc2);
        classifier = nn.Linear(widths.Fc2, classCount);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    /// <summary>Seed 002's LeNet-S (253,290 parameters for 10 classes on CIFAR).</summary>
    public static LeNet Small(int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.0) =>
        new(LeNetWidths.Small, classCount, inChannels, imageSize, dropoutRate);

    /// <summary>Seed 002's LeNet-M (1,007,306 parameters for 10 classes on CIFAR).</summary>
    public static LeNet Medium(int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.0) =>
        new(LeNetWidths.Medium, classCount, inChannels, imageSize, dropoutRate);

    /// <summary>Seed 002's LeNet-L (4,017,546 parameters for 10 classes on CIFAR).</summary>
    public static LeNet Large(int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.0) =>
        new(LeNetWidths.Large, classCount, inChannels, imageSize, dropoutRate);

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "LeNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = Hidden(nn.functional.max_pool2d(nn.functional.relu(conv1.forward(input)), 2));
        x = Hidden(nn.functional.max_pool2d(nn.functional.relu(conv2.forward(x)), 2));
        x = Hidden(nn.functional.relu(fc1.forward(x.flatten(1))));
        x = Hidden(nn.functional.relu(fc2.forward(x)));
        return classifier.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The last convolutional layer's output <c>[B, Conv2, s, s]</c> before its ReLU and pooling (s = 10 on 32×32 inputs):
    /// what feature visualisation maximises (seed 002 §7.3 renders the final conv layer's channels). Pre-activation, as
    /// feature visualisation usually takes it: after a ReLU a channel that starts inactive would get no gradient.
    /// </summary>
    public Tensor Features(Tensor input)
    {
        ModelGuards.RequireImages(input, "LeNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(input)), 2);
        return conv2.forward(x).MoveToOuterDisposeScope();
    }

    Tensor Hidden(Tensor x) => dropout is null ? x : dropout.forward(x);

    public override string ToString() => $"LeNet{Widths} {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
