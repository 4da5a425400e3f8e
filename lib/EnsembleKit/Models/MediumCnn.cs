using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Seed 001's "MediumCNN" (Keras notebook <c>ayulockin/LossLandscape/MediumCNN_Cifar10.ipynb</c>; its model summary
/// prints 245,290 parameters): four <c>conv3×3 → ReLU → Dropout(0.1) → maxpool2</c> stages with 32, 64, 128, 128
/// channels (the second convolution is "valid", the others "same"), global average pooling,
/// <c>FC(128→32) → ReLU → Dropout(0.1) → FC(32→C)</c>. PyTorch default initialisation.
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names: <c>conv1.weight [32, in, 3, 3]</c>, <c>conv2.weight [64, 32, 3, 3]</c>,
/// <c>conv3.weight [128, 64, 3, 3]</c>, <c>conv4.weight [128, 128, 3, 3]</c> (each with <c>.bias</c>),
/// <c>fc1.weight [32, 128]</c>, <c>fc1.bias</c>, <c>classifier.weight [C, 32]</c>, <c>classifier.bias</c>.</para>
/// </summary>
public sealed class MediumCnn : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public double DropoutRate { get; }

    readonly Conv2d conv1;
    readonly Conv2d conv2;
    readonly Conv2d conv3;
    readonly Conv2d conv4;
    readonly Linear fc1;
    readonly Linear classifier;
    readonly Dropout? dropout;

    /// <param name="classCount">Number of output logits (at least 2; 10 by default).</param>
    /// <param name="inChannels">Channels of the input images (at least 1; 3 by default).</param>
    /// <param name="imageSize">Height and width of the square input images, in pixels (32 by default); at least 20,
    /// so that something is left after the valid convolution and four 2x2 poolings.</param>
    /// <param name="dropoutRate">Dropout after every hidden layer; the notebook's 0.1 by default.</param>
    public MediumCnn(int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.1) : base("MediumCnn")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("MediumCnn", classCount, inChannels, imageSize);
        ModelGuards.RequireDropout("MediumCnn", dropoutRate);
        ModelGuards.RequireSpatial("MediumCnn", imageSize, (imageSize / 2 - 2) / 8, "after the valid convolution and four 2x2 poolings");
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        DropoutRate = dropoutRate;
        conv1 = nn.Conv2d(inChannels, 32, 3, padding: 1);
        conv2 = nn.Conv2d(32, 64, 3);
        conv3 = nn.Conv2d(64, 128, 3, padding: 1);
        conv4 = nn.Conv2d(128, 128, 3, padding: 1);
        fc1 = nn.Linear(128, 32);
        classifier = nn.Linear(32, classCount);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "MediumCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var conv in new[] { conv1, conv2, conv3, conv4 })
            x = nn.functional.max_pool2d(Drop(nn.functional.relu(conv.forward(x))), 2);
        x = Drop(nn.functional.relu(fc1.forward(x.mean([2L, 3L]))));
        return classifier.forward(x).MoveToOuterDisposeScope();
    }

    Tensor Drop(Tensor x) => dropout is null ? x : dropout.forward(x);

    public override string ToString() => $"MediumCnn {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
