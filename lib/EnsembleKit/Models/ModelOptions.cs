namespace EnsembleKit.Models;

/// <summary>Input shape and dropout for <see cref="ModelRegistry.Create"/>.</summary>
public sealed record ModelOptions
{
    /// <summary>Input channels: 3 for CIFAR, 1 for (Fashion-)MNIST.</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Image height and width: 32 for CIFAR, 28 for (Fashion-)MNIST.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Dropout rate for architectures that have dropout layers; null keeps the architecture's default
    /// (0 for LeNet, WRN and DenseNet, 0.1 for the seed 001 CNNs, 0.5 in VGG's MLP head). Setting it for a net
    /// without dropout (ResNet) is an error.</summary>
    public double? DropoutRate { get; init; }

    /// <summary>CIFAR-shaped inputs <c>[B, 3, 32, 32]</c>.</summary>
    public static ModelOptions Cifar { get; } = new();

    /// <summary>(Fashion-)MNIST-shaped inputs <c>[B, 1, 28, 28]</c>.</summary>
    public static ModelOptions Mnist { get; } = new() { InChannels = 1, ImageSize = 28 };
}
