using EnsembleKit.Data;
using EnsembleKit.Tests.Cli;

namespace EnsembleKit.Tests.Data;

/// <summary>
/// The first load of a process says which Fashion-MNIST folder it reads, and what an incomplete <c>KIT_DATA</c> lacks
/// before it falls back to another folder. A process each (the message is once per process): a quick
/// <c>kit reproduce</c> in a stand-in checkout whose <c>data/fashion-mnist</c> is the fallback.
/// </summary>
public class FashionMnistLocationTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A folder of links to the real files whose names start with one of <paramref name="names"/>.</summary>
    string LinkFiles(string folder, params string[] names)
    {
        var source = FashionMnist.FindFolder() ?? throw new InvalidOperationException("Fashion-MNIST is needed for this test.");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(source).Where(f => names.Any(n => Path.GetFileName(f).StartsWith(n, StringComparison.Ordinal))))
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), file);
        return folder;
    }

    static readonly string[] AllFiles = FashionMnist.Files.Select(f => f.Name).ToArray();

    /// <summary>Runs a tiny training in a stand-in checkout (a Kit.sln and all four files in data/fashion-mnist) with KIT_DATA set.</summary>
    (string Checkout, string Stderr) RunWith(string kitData)
    {
        var checkout = _temp.NewFolder();
        File.WriteAllText(Path.Combine(checkout, "Kit.sln"), "");
        LinkFiles(Path.Combine(checkout, "data", FashionMnist.Name), AllFiles);
        var (code, _, stderr) = KitCli.RunProcess(
            ["reproduce", "fmnist-deep-ensemble", "--epochs", "1", "--members", "1", "--train-limit", "100", "--threads", "1", "--out", Path.Combine(checkout, "out")],
            new Dictionary<string, string> { ["KIT_DATA"] = kitData }, checkout);
        Assert.True(code == 0, stderr);
        return (checkout, stderr);
    }

    [Fact]
    public void AnIncompleteKitDataIsNamedWithWhatItLacksBeforeTheFallback()
    {
        var kitData = _temp.NewFolder();
        var incomplete = LinkFiles(Path.Combine(kitData, FashionMnist.Name), "train-images", "train-labels", "t10k-images");
        var (checkout, stderr) = RunWith(kitData);
        var fallback = Path.Combine(checkout, "data", FashionMnist.Name);
        var lines = KitCli.Lines(stderr).Where(l => l.StartsWith("Fashion-MNIST:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                $"Fashion-MNIST: KIT_DATA={kitData} is incomplete: {incomplete} lacks t10k-labels-idx1-ubyte[.gz]; using {fallback} instead.",
                $"Fashion-MNIST: reading {fallback}",
            ], lines); // once, although the run loads the training and the test split
    }

    [Fact]
    public void ACompleteKitDataIsNamedOnly()
    {
        var kitData = _temp.NewFolder();
        var complete = LinkFiles(Path.Combine(kitData, FashionMnist.Name), AllFiles);
        var (_, stderr) = RunWith(kitData);
        var lines = KitCli.Lines(stderr).Where(l => l.StartsWith("Fashion-MNIST:", StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"Fashion-MNIST: reading {complete}"], lines);
    }
}
