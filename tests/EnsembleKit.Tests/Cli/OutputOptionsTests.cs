namespace EnsembleKit.Tests.Cli;

/// <summary>
/// <c>kit reproduce --out/--checkpoint</c> that cannot be written are refused before training (exit 2, naming the option
/// and the path), instead of failing after the whole run.
/// </summary>
public class OutputOptionsTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static string[] Reproduce(params string[] more) =>
        ["reproduce", "fmnist-deep-ensemble", "--epochs", "1", "--members", "1", "--train-limit", "100", .. more];

    [Theory]
    [InlineData("--out", "/proc/x")]
    [InlineData("--out", "/sys/kernel/x")]
    [InlineData("--checkpoint", "/proc/x")]
    public void AnOutputFolderThatCannotBeWrittenIsRefusedBeforeTraining(string option, string folder)
    {
        string[] args = option == "--out" ? Reproduce(option, folder) : Reproduce("--out", _temp.NewFolder(), option, folder);
        var (code, stdout, stderr) = KitCli.RunProcess(args);
        Assert.Equal(2, code);
        var line = Assert.Single(KitCli.Lines(stderr));
        Assert.StartsWith($"kit: error: {option}: cannot create {folder}: cannot write in ", line);
        Assert.Empty(stdout); // no training started
    }

    [Fact]
    public void AFileWhereTheOutputFolderShouldBeIsRefused()
    {
        var file = Path.Combine(_temp.NewFolder(), "results");
        File.WriteAllText(file, "a file");
        var (code, stderr) = KitCli.RunInProcess(Reproduce("--out", file));
        Assert.Equal(2, code);
        Assert.Equal($"kit: error: --out: {file} is a file, not a folder.", Assert.Single(KitCli.Lines(stderr)));
    }

    [Fact]
    public void TheDefaultOutputFolderIsCheckedToo()
    {
        // out/fmnist-deep-ensemble under a working folder where nothing can be created.
        var (code, _, stderr) = KitCli.RunProcess(["reproduce", "fmnist-deep-ensemble"], workingFolder: "/proc");
        Assert.Equal(2, code);
        Assert.Contains("--out: cannot create /proc/out/fmnist-deep-ensemble", stderr);
    }
}
