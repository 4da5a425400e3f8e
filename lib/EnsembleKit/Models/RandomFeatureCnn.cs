using EnsembleKit.Backend;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The random-features (Gaussian-process, "GP") model of a <see cref="SimpleCnn"/>: every convolution stays at its random
/// initialisation (frozen buffers) and only the last linear layer is trained, a linear model on fixed random convolutional
/// features, i.e. kernel regression with the network's conjugate (NNGP) kernel: seed 003's E3.2 "SimpleCNN-GP" in the
/// smallest form. All layers are drawn as a <see cref="SimpleCnn"/> of the same shape draws them, so the same seed gives
/// the same start. Inputs <c>[B, inChannels, s, s]</c>, logits <c>[B, C]</c>.
/// </summary>
public sealed class RandomFeatureCnn : nn.Module<Tensor, Tensor>, IImageClassifier
{
    readonly Linear output;

    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public IReadOnlyList<int> Widths { get; }

    /// <inheritdoc cref="SimpleCnn(IReadOnlyList{int}, int, int, int)"/>
    public RandomFeatureCnn(IReadOnlyList<int> widths, int classCount = 10, int inChannels = 3, int imageSize = 32) : base("RandomFeatureCnn")
    {
        TorchRuntime.EnsureInitialized();
        using var network = new SimpleCnn(widths, classCount, inChannels, imageSize);
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Widths = network.Widths;
        output = nn.Linear(network.FeatureCount, classCount);
        using (no_grad())
        {
            output.weight!.copy_(network.Classifier.weight!);
            output.bias!.copy_(network.Classifier.bias!);
        }
        RegisterComponents();
        for (int l = 0; l < Widths.Count; l++)
        {
            register_buffer($"conv{l + 1}_weight", network.Convolutions[l].weight!.detach().clone());
            register_buffer($"conv{l + 1}_bias", network.Convolutions[l].bias!.detach().clone());
        }
    }

    /// <summary>The trained last layer.</summary>
    public Linear Output => output;

    /// <summary>The fixed random features <c>[B, features]</c>: the frozen convolutions, ReLU and pooling, flattened.</summary>
    public Tensor Features(Tensor input)
    {
        ModelGuards.RequireImages(input, "RandomFeatureCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var h = input;
        for (int l = 0; l < Widths.Count; l++)
            h = nn.functional.avg_pool2d(nn.functional.relu(nn.functional.conv2d(h, get_buffer($"conv{l + 1}_weight")!, get_buffer($"conv{l + 1}_bias"), padding: [1, 1])), 2);
        return h.flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>The logits <c>[B, C]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return output.forward(Features(input)).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"RandomFeatureCnn([{string.Join(", ", Widths)}], {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount})";
}
