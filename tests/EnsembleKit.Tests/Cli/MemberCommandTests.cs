namespace EnsembleKit.Tests.Cli;

/// <summary>Bad input to <c>kit member</c> and <c>kit ensemble combine</c>: exit code 2 and one line naming the problem, before any work.</summary>
public class MemberCommandTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("--index must be less than --members (3); got 3", "member", "train", "--experiment", "fmnist-deep-ensemble", "--index", "3", "--members", "3")]
    [InlineData("--index must be at least 0; got -1", "member", "train", "--experiment", "fmnist-deep-ensemble", "--index", "-1")]
    [InlineData("--members must be at least 1; got 0", "member", "train", "--experiment", "fmnist-deep-ensemble", "--index", "0", "--members", "0")]
    [InlineData("--epochs must be at least 1; got 0", "member", "train", "--experiment", "fmnist-deep-ensemble", "--index", "0", "--epochs", "0")]
    [InlineData("unknown experiment 'cifar-everything'", "member", "train", "--experiment", "cifar-everything", "--index", "0")]
    [InlineData("unknown experiment 'cifar-everything'", "member", "status", "--experiment", "cifar-everything")]
    [InlineData("unknown experiment 'cifar-everything'", "ensemble", "combine", "--experiment", "cifar-everything")]
    [InlineData("--experiment", "ensemble", "combine")]
    [InlineData("--index", "member", "train", "--experiment", "fmnist-deep-ensemble")]
    public void BadInputIsOneLineAndExitCodeTwo(string expected, params string[] args)
    {
        var runs = _temp.NewFolder();
        var (code, stderr) = KitCli.RunInProcess([.. args, "--runs", runs]);
        Assert.Equal(2, code);
        Assert.Contains(expected, Assert.Single(KitCli.Lines(stderr)));
        Assert.Empty(Directory.GetFileSystemEntries(runs)); // refused before any work
    }
}
