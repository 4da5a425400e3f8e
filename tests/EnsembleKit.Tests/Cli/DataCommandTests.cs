namespace EnsembleKit.Tests.Cli;

/// <summary><c>kit data fetch</c>'s and <c>kit data generate</c>'s bad input is refused before any work (exit 2, one line).</summary>
public class DataCommandTests
{
    [Fact]
    public void AnUnknownDatasetIsBadInput()
    {
        var (code, stderr) = KitCli.RunInProcess("data", "fetch", "mnist-9000");
        Assert.Equal(2, code);
        Assert.Equal("kit: error: unknown dataset 'mnist-9000'; fetchable: cifar10, fashion-mnist, mnist-digits.", Assert.Single(KitCli.Lines(stderr)));
    }

    [Fact]
    public void AnUnknownCorruptedSetIsBadInput()
    {
        var (code, stderr) = KitCli.RunInProcess("data", "generate", "svhn-c");
        Assert.Equal(2, code);
        Assert.Equal("kit: error: unknown corrupted set 'svhn-c'; known: fmnist-c, cifar10-c-gen.", Assert.Single(KitCli.Lines(stderr)));
    }

    [Fact]
    public void AnOutputFolderThatCannotBeWrittenIsBadInput()
    {
        var (code, stderr) = KitCli.RunInProcess("data", "fetch", "fashion-mnist", "--out", "/proc/x");
        Assert.Equal(2, code);
        Assert.StartsWith("kit: error: --out: cannot create /proc/x: ", Assert.Single(KitCli.Lines(stderr)));
    }

    [Fact]
    public void AGroupWithoutItsSubcommandIsBadInputAndListsThem()
    {
        var (code, stdout, stderr) = KitCli.RunProcess(["data"]);
        Assert.Equal(2, code);
        Assert.Contains("Required command was not provided.", stderr);
        Assert.Contains("fetch", stdout); // the help of kit data
    }
}
