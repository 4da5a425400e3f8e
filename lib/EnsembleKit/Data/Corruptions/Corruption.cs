using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// Base of the corruptions: checks the arguments, runs <see cref="Corrupt"/> in a dispose scope and clips the result to
/// [0, 1] as every function of the recipe does (<c>np.clip(..., 0, 1)</c>).
/// </summary>
public abstract class Corruption : ICorruption
{
    public const int Severities = 5;

    public abstract string Name { get; }
    public abstract CorruptionFamily Family { get; }
    public abstract bool IsRandom { get; }

    public Tensor Apply(Tensor images, int severity, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        if (severity is < 1 or > Severities)
            throw new ArgumentOutOfRangeException(nameof(severity), $"severity must be 1 to {Severities}; got {severity}.");
        if (images.dim() != 4 || images.shape[1] is not (1 or 3))
            throw new ArgumentException($"{Name} expects images [N, C, H, W] with C = 1 or 3; got [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"{Name} expects float32 images in [0, 1]; got {images.dtype}.", nameof(images));
        using var scope = NewDisposeScope();
        using Scalar zero = 0, one = 1;
        var output = Corrupt(images, severity, generator).clamp(zero, one);
        return output.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The corruption proper, on checked float32 images <c>[N, C, H, W]</c>; the result is clipped to [0, 1] afterwards.</summary>
    protected abstract Tensor Corrupt(Tensor images, int severity, Generator generator);

    /// <summary>The recipe's constant for <paramref name="severity"/> (1-based).</summary>
    protected static T Pick<T>(IReadOnlyList<T> constants, int severity) => constants[severity - 1];

    public override string ToString() => Name;
}
