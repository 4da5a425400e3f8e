using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>Argument and input checks shared by the zoo's models.</summary>
internal static class ModelGuards
{
    /// <summary>Checks the constructor arguments every image classifier takes.</summary>
    public static void RequireImageArguments(string model, int classCount, int inChannels, int imageSize)
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), $"{model} needs at least 2 classes; got {classCount}.");
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), $"{model} needs at least 1 input channel; got {inChannels}.");
        if (imageSize < 1) throw new ArgumentOutOfRangeException(nameof(imageSize), $"{model} needs a positive image size; got {imageSize}.");
    }

    /// <summary>Checks the sizes of a one-hidden-layer network <c>d-m-C</c> (the kernel models).</summary>
    public static void RequireLayerSizes(int inputSize, int width, int classes)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"the input size must be positive; got {inputSize}.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"the hidden width must be positive; got {width}.");
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), $"the number of classes must be positive; got {classes}.");
    }

    public static void RequireDropout(string model, double rate)
    {
        if (rate is < 0 or >= 1 || double.IsNaN(rate))
            throw new ArgumentOutOfRangeException("dropoutRate", $"{model}: dropout must be in [0, 1); got {rate}.");
    }

    /// <summary>Throws when the spatial size shrinks to nothing inside the network.</summary>
    public static void RequireSpatial(string model, int imageSize, long sizeAfter, string where)
    {
        if (sizeAfter < 1)
            throw new ArgumentOutOfRangeException(nameof(imageSize), $"{model}: images of {imageSize}x{imageSize} shrink to nothing {where}; use larger images.");
    }

    /// <summary>Inputs must be float <c>[B, channels, size, size]</c>.</summary>
    public static void RequireImages(Tensor input, string model, int channels, int size)
    {
        if (input.dim() != 4 || input.shape[1] != channels || input.shape[2] != size || input.shape[3] != size)
            throw new ArgumentException($"{model} expects images [B, {channels}, {size}, {size}]; got {Shapes.Describe(input)}.", nameof(input));
        if (!input.is_floating_point())
            throw new ArgumentException($"{model} expects floating-point images; got {Shapes.Describe(input)}.", nameof(input));
    }
}
