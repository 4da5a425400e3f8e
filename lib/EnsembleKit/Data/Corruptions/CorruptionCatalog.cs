namespace EnsembleKit.Data.Corruptions;

/// <summary>
/// The corruptions of the CIFAR-10-C benchmark (Hendrycks and Dietterich, ICLR 2019) that the kit generates: 14 of the
/// 15, in the benchmark's order, with the names of <see cref="Cifar10C.Corruptions"/>. <c>frost</c> is left out: the recipe
/// blends the image with crops of six frost photographs (<c>frost1.png</c> ... <c>frost6.jpg</c>) shipped with the
/// original code, which are not available here, and a substitute would not be the benchmark. Use the real CIFAR-10-C files
/// (<see cref="Cifar10C.Load"/>) for frost.
/// </summary>
public static class CorruptionCatalog
{
    public const string Frost = "frost";

    /// <summary>Why <c>frost</c> is not generated.</summary>
    public const string FrostExclusion =
        "frost is not generated: the published recipe blends each image with crops of six frost photographs shipped with " +
        "hendrycks/robustness (frost1.png ... frost6.jpg), which are not available here; use the real CIFAR-10-C frost.npy.";

    static readonly ICorruption[] Corruptions =
    [
        new GaussianNoise(), new ShotNoise(), new ImpulseNoise(),
        new DefocusBlur(), new GlassBlur(), new MotionBlur(), new ZoomBlur(),
        new Snow(), new Fog(), new Brightness(),
        new Contrast(), new ElasticTransform(), new Pixelate(), new JpegCompression(),
    ];

    /// <summary>The 14 generated corruptions, in the benchmark's order.</summary>
    public static IReadOnlyList<ICorruption> All => Corruptions;

    /// <summary>Their names.</summary>
    public static IEnumerable<string> Names => Corruptions.Select(c => c.Name);

    /// <summary>The corruption called <paramref name="name"/> (e.g. <c>gaussian_noise</c>).</summary>
    /// <exception cref="ArgumentException">Unknown name, or frost (see <see cref="FrostExclusion"/>).</exception>
    public static ICorruption Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        if (key == Frost) throw new ArgumentException(FrostExclusion, nameof(name));
        return Corruptions.FirstOrDefault(c => c.Name == key)
            ?? throw new ArgumentException($"unknown corruption '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
    }
}
