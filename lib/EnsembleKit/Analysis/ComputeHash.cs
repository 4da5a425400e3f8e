namespace EnsembleKit.Analysis;

public static partial class ImageHashing
{
    /// <summary>The hash of <paramref name="kind"/>.</summary>
    public static ImageHash Compute(HashImage image, HashKind kind, HashOptions? options = null) => kind switch
    {
        HashKind.Average => AverageHash(image, options),
        HashKind.Perceptual => PerceptualHash(image, options),
        HashKind.Difference => DifferenceHash(image, options),
        HashKind.Wavelet => WaveletHash(image, options),
        HashKind.Color => ColorHash(image, options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hash kind."),
    };
}
