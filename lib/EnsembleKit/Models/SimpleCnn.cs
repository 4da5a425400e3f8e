using EnsembleKit.Backend;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The plain convolutional network whose kernel models are <see cref="LinearizedCnn"/> (NTK) and
/// <see cref="RandomFeatureCnn"/> (GP): for each width w_l a 3×3 convolution (padding 1, bias) to w_l channels, ReLU and
/// 2×2 average pooling, then one linear layer on the flattened features. Average rather than max pooling keeps the
/// network piecewise linear in its input with no selection step, so its first-order expansion is a plain forward pass
/// (the "SimpleCNN" of seed 003's E3.2 in the smallest form). Inputs <c>[B, inChannels, s, s]</c>, logits <c>[B, C]</c>.
/// </summary>
public sealed class SimpleCnn : nn.Module<Tensor, Tensor>, IImageClassifier
{
    readonly ModuleList<Conv2d> convs;
    readonly Linear classifier;

    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public IReadOnlyList<int> Widths { get; }

    /// <summary>Length of the flattened features the classifier reads: last width × (s / 2^L)².</summary>
    public long FeatureCount => (long)Widths[^1] * (ImageSize >> Widths.Count) * (ImageSize >> Widths.Count);

    /// <param name="widths">Channels of each convolution (at least one layer, each at least 1).</param>
    /// <param name="classCount">Number of output logits (at least 2).</param>
    /// <param name="inChannels">Channels of the input images.</param>
    /// <param name="imageSize">Height and width of the square inputs; at least 2^L so that each pooling has something to halve.</param>
    public SimpleCnn(IReadOnlyList<int> widths, int classCount = 10, int inChannels = 3, int imageSize = 32) : base("SimpleCnn")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireImageArguments("SimpleCnn", classCount, inChannels, imageSize);
        RequireWidths("SimpleCnn", widths, imageSize);
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Widths = widths.ToArray();
        convs = new ModuleList<Conv2d>();
        int previous = inChannels;
        foreach (int width in Widths)
        {
            convs.Add(nn.Conv2d(previous, width, 3, padding: 1));
            previous = width;
        }
        classifier = nn.Linear(FeatureCount, classCount);
        RegisterComponents();
    }

    /// <summary>The convolutions, first to last (read by the kernel models, which copy their initial weights).</summary>
    public IReadOnlyList<Conv2d> Convolutions => convs.ToList();

    /// <summary>The last layer, <c>[C, features]</c>.</summary>
    public Linear Classifier => classifier;

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "SimpleCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var h = input;
        foreach (var conv in convs) h = nn.functional.avg_pool2d(nn.functional.relu(conv.forward(h)), 2);
        return classifier.forward(h.flatten(1)).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"SimpleCnn([{string.Join(", ", Widths)}], {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount})";

    internal static void RequireWidths(string model, IReadOnlyList<int> widths, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count == 0) throw new ArgumentException($"{model} needs at least one convolution width.", nameof(widths));
        if (widths.Any(w => w < 1)) throw new ArgumentOutOfRangeException(nameof(widths), $"{model}: every width must be at least 1; got [{string.Join(", ", widths)}].");
        if (widths.Count > 30) throw new ArgumentOutOfRangeException(nameof(widths), $"{model}: {widths.Count} layers halve any image to nothing.");
        ModelGuards.RequireSpatial(model, imageSize, imageSize >> widths.Count, $"after {widths.Count} 2x2 poolings");
    }
}
