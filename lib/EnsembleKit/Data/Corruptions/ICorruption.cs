using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// One image corruption of the CIFAR-10-C benchmark (Hendrycks and Dietterich, ICLR 2019), with the five severity
/// constants of the published CIFAR recipe (<c>ImageNet-C/create_c/make_cifar_c.py</c> in github.com/hendrycks/robustness).
/// </summary>
public interface ICorruption
{
    /// <summary>The recipe's function name, also the CIFAR-10-C file name: <c>gaussian_noise</c>, <c>zoom_blur</c>, ...</summary>
    string Name { get; }

    CorruptionFamily Family { get; }

    /// <summary>Whether the corruption draws random numbers (then different seeds give different images).</summary>
    bool IsRandom { get; }

    /// <summary>
    /// Corrupts float32 images <c>[N, C, H, W]</c> in [0, 1] (C = 1 or 3) at <paramref name="severity"/> 1-5, drawing any
    /// randomness from <paramref name="generator"/>; returns new float32 images <c>[N, C, H, W]</c> in [0, 1].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">severity is not 1 to 5.</exception>
    /// <exception cref="ArgumentException">images are not float32 <c>[N, C, H, W]</c> with C = 1 or 3.</exception>
    Tensor Apply(Tensor images, int severity, Generator generator);
}
