using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>The 14 generated CIFAR-10-C corruptions: seeds, ranges, shapes, argument checks, monotone severities.</summary>
public class CorruptionsTests
{
    public static TheoryData<string> Names() => new(CorruptionCatalog.Names);

    /// <summary>
    /// Corruptions whose change to the image (mean |x - clean|) grows with severity under the recipe's constants. Not
    /// glass_blur (severities 1-3 shuffle once, 4-5 twice, and more blur hides the shuffle) nor elastic_transform (the
    /// table shrinks the random affine from severity 1 to 5 while it strengthens the local displacement).
    /// </summary>
    static readonly HashSet<string> MonotoneInPixels =
    [
        "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "motion_blur", "zoom_blur",
        "snow", "fog", "brightness", "contrast", "pixelate", "jpeg_compression",
    ];

    [Fact]
    public void CatalogHoldsTheBenchmarkFifteenButFrostInOrder()
    {
        var expected = Cifar10C.Corruptions.Take(15).Where(n => n != "frost");
        Assert.Equal(expected, CorruptionCatalog.Names);
        Assert.Equal(14, CorruptionCatalog.All.Select(c => c.Family).Count());
        Assert.Equal(3, CorruptionCatalog.All.Count(c => c.Family == CorruptionFamily.Noise));
        Assert.Equal(4, CorruptionCatalog.All.Count(c => c.Family == CorruptionFamily.Blur));
        Assert.Equal(3, CorruptionCatalog.All.Count(c => c.Family == CorruptionFamily.Weather));
        Assert.Equal(4, CorruptionCatalog.All.Count(c => c.Family == CorruptionFamily.Digital));
        Assert.Same(CorruptionCatalog.All[4], CorruptionCatalog.Get(" Glass_Blur "));
    }

    [Fact]
    public void FrostAndUnknownNamesAreRefusedWithTheReason()
    {
        var frost = Assert.Throws<ArgumentException>(() => CorruptionCatalog.Get("frost"));
        Assert.Contains("photographs", frost.Message);
        var unknown = Assert.Throws<ArgumentException>(() => CorruptionCatalog.Get("spatter"));
        Assert.Contains("'spatter'", unknown.Message);
        Assert.Equal("name", unknown.ParamName);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedGivesTheSameImagesAndAnotherSeedOthersForRandomOnes(string name)
    {
        var corruption = CorruptionCatalog.Get(name);
        foreach (var images in new[] { CorruptionFixtures.Grey(6), CorruptionFixtures.Colour(6) })
        {
            using var _ = images;
            using var a = Run(corruption, images, 3, seed: 11);
            using var b = Run(corruption, images, 3, seed: 11);
            using var c = Run(corruption, images, 3, seed: 12);
            Assert.True(Same(a, b), $"{name}: two runs with seed 11 differ");
            Assert.Equal(!corruption.IsRandom, Same(a, c));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void OutputIsFloat32InTheUnitRangeWithTheInputShapeAndChangesTheImage(string name)
    {
        var corruption = CorruptionCatalog.Get(name);
        foreach (var images in new[] { CorruptionFixtures.Grey(5), CorruptionFixtures.Colour(5) })
        {
            using var _ = images;
            for (int severity = 1; severity <= 5; severity++)
            {
                using var output = Run(corruption, images, severity, seed: 1);
                Assert.Equal(images.shape, output.shape);
                Assert.Equal(ScalarType.Float32, output.dtype);
                Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1, $"{name} s{severity} leaves [0, 1]");
                Assert.True(CorruptionFixtures.MeanAbsoluteChange(output, images) > 1e-3, $"{name} s{severity} leaves the images as they were");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void SeverityOutsideOneToFiveIsRefusedNamingIt(int severity)
    {
        using var images = CorruptionFixtures.Grey(2);
        using var generator = new Generator(0);
        foreach (var corruption in CorruptionCatalog.All)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => corruption.Apply(images, severity, generator));
            Assert.Equal("severity", e.ParamName);
            Assert.Contains($"got {severity}", e.Message);
        }
    }

    [Fact]
    public void ImagesThatAreNotFloat32WithOneOrThreeChannelsAreRefused()
    {
        using var generator = new Generator(0);
        using var twoChannels = zeros(2, 2, 8, 8);
        using var flat = zeros(2, 784);
        using var doubles = zeros([2, 1, 8, 8], dtype: ScalarType.Float64);
        var corruption = CorruptionCatalog.Get("contrast");
        Assert.Contains("[2, 2, 8, 8]", Assert.Throws<ArgumentException>(() => corruption.Apply(twoChannels, 1, generator)).Message);
        Assert.Contains("[2, 784]", Assert.Throws<ArgumentException>(() => corruption.Apply(flat, 1, generator)).Message);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => corruption.Apply(doubles, 1, generator)).Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ChangeToTheImageGrowsWithSeverityAsTheRecipeIntends(string name)
    {
        var corruption = CorruptionCatalog.Get(name);
        foreach (var images in new[] { CorruptionFixtures.Grey(100), CorruptionFixtures.Colour(100) })
        {
            using var _ = images;
            var change = Enumerable.Range(1, 5).Select(s =>
            {
                using var output = Run(corruption, images, s, seed: 5);
                return CorruptionFixtures.MeanAbsoluteChange(output, images);
            }).ToArray();
            var shown = string.Join(", ", change.Select(d => d.ToString("F4")));
            if (MonotoneInPixels.Contains(name))
            {
                // Motion blur's severities 3 and 4 differ only in the kernel's length (radius 6 vs 8 at sigma 2), whose
                // extra taps weigh below 1e-9: equal within the tolerance.
                for (int s = 1; s < 5; s++)
                    Assert.True(change[s] >= change[s - 1] - 1e-4, $"{name}: change by severity {shown} falls at {s + 1}");
                Assert.True(change[4] > 1.2 * change[0], $"{name}: change by severity {shown}");
            }
            else if (name == "glass_blur")
            {
                Assert.True(change[3] > change[2] && change[4] > change[0], $"{name}: change by severity {shown}");
            }
            else
            {
                Assert.Equal("elastic_transform", name);
                Assert.True(change.All(d => d > 0.02), $"{name}: change by severity {shown}");
            }
        }
    }

    [Fact]
    public void SeverityOneOfTheDeterministicBlursIsMilderThanFive()
    {
        // Defocus severity 1 is a 3x3 Gaussian (the disk of radius 0.3 is one pixel); severity 5 a blurred 3x3 box.
        var one = DefocusBlur.Disk(0.3, 0.4);
        var five = DefocusBlur.Disk(1.5, 0.1);
        Assert.True(one[1, 1] > 0.6 && five[2, 2] < 0.12, $"centre weights {one[1, 1]}, {five[2, 2]}");
        Assert.Equal(1.0, one.Cast<double>().Sum(), 10);
        Assert.Equal(1.0, five.Cast<double>().Sum(), 10);
    }

    static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b).all();
        return equal.item<bool>();
    }

    internal static Tensor Run(ICorruption corruption, Tensor images, int severity, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return corruption.Apply(images, severity, generator);
    }
}
