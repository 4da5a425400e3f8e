namespace EnsembleKit.Models;

/// <summary>
/// A convolutional classifier of square images: <c>forward</c> takes float32 inputs
/// <c>[B, InChannels, ImageSize, ImageSize]</c> and returns raw logits <c>[B, ClassCount]</c> float32.
/// Implemented by every CNN of the model zoo (see <see cref="ModelRegistry"/>).
/// </summary>
public interface IImageClassifier
{
    /// <summary>Input channels (3 for CIFAR, 1 for (Fashion-)MNIST).</summary>
    int InChannels { get; }

    /// <summary>Height and width of the input images (32 for CIFAR, 28 for (Fashion-)MNIST).</summary>
    int ImageSize { get; }

    /// <summary>Number of classes, the width of the logits.</summary>
    int ClassCount { get; }
}
