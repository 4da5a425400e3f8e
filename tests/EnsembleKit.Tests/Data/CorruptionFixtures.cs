using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>Small image batches for the corruption tests: Fashion-MNIST test images, greyscale and tinted to colour.</summary>
static class CorruptionFixtures
{
    /// <summary>The first <paramref name="count"/> Fashion-MNIST test images, float32 <c>[count, 1, 28, 28]</c> in [0, 1].</summary>
    public static Tensor Grey(int count)
    {
        using var test = FashionMnist.Load(train: false, flatten: false, standardize: false);
        return test.Inputs.narrow(0, 0, count).clone();
    }

    /// <summary>
    /// Colour images <c>[count, 3, 32, 32]</c> in [0, 1] on the 8-bit grid: Fashion-MNIST test images padded by 2 pixels of
    /// a mid-grey background and tinted differently per channel, as stand-ins for CIFAR-10 images.
    /// </summary>
    public static Tensor Colour(int count)
    {
        using var scope = NewDisposeScope();
        var grey = nn.functional.pad(Grey(count), [2, 2, 2, 2], value: 0.0);
        var rgb = cat([grey * 0.8 + 0.1, 0.9 - grey * 0.6, grey * 0.5 + 0.35], 1);
        return rgb.mul(255).round().div(255).MoveToOuterDisposeScope();
    }

    public static double MeanAbsoluteChange(Tensor corrupted, Tensor clean)
    {
        using var difference = (corrupted - clean).abs().mean();
        return difference.item<float>();
    }
}
