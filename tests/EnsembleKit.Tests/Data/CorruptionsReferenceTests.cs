using System.Text.Json;
using EnsembleKit.Data.Corruptions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// Contrast, brightness, pixelate and zoom blur against tests/reference/corruption_reference.json, written by
/// tests/reference/corruption_reference.py with the libraries the published recipe calls (numpy 1.24, scikit-image 0.19,
/// Pillow 9.4, SciPy 1.10).
/// </summary>
public class CorruptionsReferenceTests
{
    static readonly Lazy<JsonElement> Root = new(() => JsonDocument.Parse(
        File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "corruption_reference.json"))).RootElement);

    [Theory]
    [InlineData("contrast", "rgb16")]
    [InlineData("contrast", "grey12")]
    [InlineData("brightness", "rgb16")]
    [InlineData("brightness", "grey12")]
    [InlineData("pixelate", "rgb16")]
    [InlineData("pixelate", "grey12")]
    [InlineData("zoom_blur", "rgb16")]
    [InlineData("zoom_blur", "grey12")]
    public void MatchesTheRecipeLibrariesToOneInAHundredThousand(string name, string imageName)
    {
        var image = Root.Value.GetProperty("images").GetProperty(imageName);
        var shape = image.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var pixels = image.GetProperty("pixels").EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        using var raw = tensor(pixels, [1, .. shape], ScalarType.Byte);
        using var input = raw.to(ScalarType.Float32).div(255);
        var expected = Root.Value.GetProperty("corruptions").GetProperty(name).GetProperty(imageName).EnumerateArray().ToArray();
        var corruption = CorruptionCatalog.Get(name);
        for (int severity = 1; severity <= 5; severity++)
        {
            using var output = CorruptionsTests.Run(corruption, input, severity, seed: 0);
            var actual = output.to(ScalarType.Float64).data<double>().ToArray();
            var reference = expected[severity - 1].EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(reference.Length, actual.Length);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(Math.Abs(actual[i] - reference[i]) <= 1e-5,
                    $"{name} {imageName} severity {severity} value {i}: expected {reference[i]:R}, got {actual[i]:R}");
        }
    }
}
