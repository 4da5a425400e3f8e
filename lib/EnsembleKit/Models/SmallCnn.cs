using EnsembleKit.Backend;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Seed 001's "SmallCNN" (Paul &amp; Thakur's reproduction of Fort et al., Keras notebook
/// <c>ayulockin/LossLandscape/SmallCNN_Cifar10.ipynb</c>; its model summary prints 15,722 parameters):
/// three <c>conv3×3 same → ReLU → maxpool2</c> stages with 16, 32, 32 channels, global average pooling,
/// <c>FC(32→32) → ReLU → Dropout(0.1) → FC(32→C)</c>. Seed 001 lists no architecture; this is the notebook's.
/// PyTorch default initialisation (Keras used Glorot uniform).
/// <para>Inputs <c>[B, inChannels, imageSize, imageSize]</c> float32; outputs logits <c>[B, classCount]</c>.</para>
/// <para>Parameter names: <c>conv1.weight [16, in, 3, 3]</c>, <c>conv1.bias</c>, <c>conv2.weight [32, 16, 3, 3]</c>,
/// <c>conv2.bias</c>, <c>conv3.weight [32, 32, 3, 3]</c>, <c>conv3.bias</c>, <c>fc1.weight [32, 32]</c>, <c>fc1.bias</c>,
/// <c>classifier.weight [C, 32]</c>, <c>classifier.bias</c>.</para>
/// </summary>
public sealed class SmallCnn : nn.Module<Tensor, Tensor>, IImageClassifier
{
    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public double DropoutRate { get; }

    readonly Conv2d conv1;
    readonly Conv2d conv2;
    readonly Conv2d conv3;
    readonly Linear fc1;
    readonly Linear classifier;
    readonly Dropout? dropout;

    /// <param name="classCount">Number of output logits (at least 2; 10 by default).</param>
    /// <param name="inChannels">Channels of the input images (at least 1; 3 by default).</param>
    /// <param name="imageSize">Height and width of the square input images, in pixels (32 by default); at least 8,
    /// so that something is left after three 2x2 poolings.</param>
    /// <param name="dropoutRate">Dropout before the classifier; the notebook's 0.1 by default.</param>
    public SmallCnn(int classCount = 10, int inChannels = 3, int imageSize = 32, double dropoutRate = 0.1) : base("SmallCnn")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("SmallCnn", classCount, inChannels, imageSize);
        ModelGuards.RequireDropout("SmallCnn", dropoutRate);
        ModelGuards.RequireSpatial("SmallCnn", imageSize, imageSize / 8, "after three 2x2 poolings");
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        DropoutRate = dropoutRate;
        conv1 = nn.Conv2d(inChannels, 16, 3, padding: 1);
        conv2 = nn.Conv2d(16, 32, 3, padding: 1);
        conv3 = nn.Conv2d(32, 32, 3, padding: 1);
        fc1 = nn.Linear(32, 32);
        classifier = nn.Linear(32, classCount);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "SmallCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = Blocks(input, BlockCount);
        x = nn.functional.relu(fc1.forward(x.mean([2L, 3L])));
        if (dropout is not null) x = dropout.forward(x);
        return classifier.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Number of <c>conv3×3 → ReLU → maxpool2</c> blocks (3).</summary>
    public const int BlockCount = 3;

    /// <summary>
    /// The activations after the first <paramref name="blocks"/> conv blocks (each <c>conv3×3 → ReLU → maxpool2</c>), as
    /// the forward pass computes them: <c>[B, 16, S/2, S/2]</c> after 1, <c>[B, 32, S/4, S/4]</c> after 2,
    /// <c>[B, 32, S/8, S/8]</c> after 3 (S = <see cref="ImageSize"/>). Intermediate features for
    /// multi-view experiments (<c>Analysis.IntermediateFeatures</c>). Runs in whatever mode the model is in.
    /// </summary>
    public Tensor Features(Tensor input, int blocks)
    {
        if (blocks < 1 || blocks > BlockCount)
            throw new ArgumentOutOfRangeException(nameof(blocks), $"SmallCnn has {BlockCount} conv blocks; blocks must be in [1, {BlockCount}]; got {blocks}.");
        ModelGuards.RequireImages(input, "SmallCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        return Blocks(input, blocks).MoveToOuterDisposeScope();
    }

    Tensor Blocks(Tensor input, int blocks)
    {
        var x = input;
        foreach (var conv in new[] { conv1, conv2, conv3 }.Take(blocks))
            x = nn.functional.max_pool2d(nn.functional.relu(conv.forward(x)), 2);
        return x;
    }

    public override string ToString() => $"SmallCnn {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}";
}
