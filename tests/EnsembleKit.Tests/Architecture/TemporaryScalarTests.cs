using Xunit.Abstractions;

namespace EnsembleKit.Tests.Architecture;

/// <summary>The kit hands libtorch no scalar that the garbage collector may free mid-call (see <see cref="TemporaryScalars"/>).</summary>
public sealed class TemporaryScalarTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("EnsembleKit")]
    [InlineData("EnsembleKit.Plotting")]
    [InlineData("EnsembleKit.Notebooks")]
    [InlineData("EnsembleKit.Cli")]
    [InlineData("EnsembleKit.Interactive")]
    public void NoLibraryCodeMakesATemporaryScalar(string project)
    {
        var sites = TemporaryScalars.Find(Path.Combine(TestSupport.RepoRoot, "lib", project));
        foreach (var site in sites) output.WriteLine(site);
        Assert.True(sites.Count == 0, $"{sites.Count} temporary scalars in lib/{project}, e.g.\n" + string.Join("\n", sites.Take(20)));
    }

    [Fact]
    public void TheCheckerFindsImplicitAndUnownedScalarsAndAcceptsOwnedOnes()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "Planted.cs"), """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Planted
            {
                static Tensor Implicit(Tensor t) => t * 2;
                static Tensor Unowned(Tensor t) => t.clamp(0.5.ToScalar(), null);
                static Tensor Owned(Tensor t, List<int> list)
                {
                    using Scalar two = 2, half = 0.5, count = list.Count;
                    using var three = 3.ToScalar();
                    return t.mul(two).add(half).sub(three).div(count);
                }
                static Tensor Member(Tensor t, List<int> list) => t.mul(list.Count);
            }
            """);
        var sites = TemporaryScalars.Find(folder.Path);
        Assert.Equal(["Planted.cs:5  t * 2", "Planted.cs:6  0.5.ToScalar()", "Planted.cs:13  list.Count"], sites.Select(s => s[..s.IndexOf("  in  ", StringComparison.Ordinal)]));
    }
}
