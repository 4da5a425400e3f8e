using System.Text.Json;

namespace EnsembleKit.Tests.Uncertainty;

/// <summary>
/// The fixtures and curves of tests/reference/uncertainty_reference.json, written once by
/// tests/reference/uncertainty_reference.py (scikit-learn 1.2.1, numpy 1.24.2, Debian's /usr/bin/python3).
/// </summary>
static class UncertaintyReference
{
    static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "tests", "reference", "uncertainty_reference.json"))).RootElement);

    /// <summary>One section of the file: "ood", "selective" or "scores".</summary>
    public static JsonElement Case(string name) => Root.Value.GetProperty(name);

    public static double[] Doubles(this JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static bool[] Bools(this JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetBoolean()).ToArray();

    /// <summary>Asserts two arrays agree entry by entry to <paramref name="precision"/> decimals, naming the first index that does not.</summary>
    public static void Equal(double[] expected, double[] actual, int precision)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Round(expected[i] - actual[i], precision) == 0, $"index {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
