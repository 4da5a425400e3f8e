using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

/// <summary><c>kit reproduce --checkpoint</c> resumes only a run with the same seed, epochs and data; others fail with the difference.</summary>
public class ReproduceCheckpointTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static string[] Job(string output, string checkpoint, string seed = "3", string epochs = "1", string trainLimit = "300") =>
    [
        "reproduce", "fmnist-deep-ensemble", "--members", "1",
        "--seed", seed, "--epochs", epochs, "--train-limit", trainLimit, "--out", output, "--checkpoint", checkpoint,
    ];

    static (int Exit, string Error) Kit(string[] args) => KitCli.RunInProcess(args);

    [Theory]
    [InlineData("--seed", "seed: checkpoint 3, this run 9")]
    [InlineData("--epochs", "epochs: checkpoint 1, this run 2")]
    [InlineData("--train-limit", "data rows: checkpoint 300, this run 600")]
    public void ACheckpointIsNotReusedUnderOtherOptions(string option, string expected)
    {
        var checkpoint = _temp.NewFolder();
        Assert.Equal(0, Kit(Job(_temp.NewFolder(), checkpoint)).Exit);

        var changed = option switch
        {
            "--seed" => Job(_temp.NewFolder(), checkpoint, seed: "9"),
            "--epochs" => Job(_temp.NewFolder(), checkpoint, epochs: "2"),
            _ => Job(_temp.NewFolder(), checkpoint, trainLimit: "600"),
        };
        var (exit, error) = Kit(changed);
        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.Contains(Path.Combine(checkpoint, "member.member0"), error);
        Assert.Contains("--checkpoint", error);
    }

    [Fact]
    public void TheSameOptionsReuseTheCheckpointAndGiveTheSameResults()
    {
        string checkpoint = _temp.NewFolder(), first = _temp.NewFolder(), second = _temp.NewFolder();
        Assert.Equal(0, Kit(Job(first, checkpoint)).Exit);
        var written = File.GetLastWriteTimeUtc(Path.Combine(checkpoint, "member.member0"));
        Assert.Equal(0, Kit(Job(second, checkpoint)).Exit);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(checkpoint, "member.member0"))); // finished: nothing trained, nothing written
        Assert.Equal(File.ReadAllText(Path.Combine(first, "results.csv")), File.ReadAllText(Path.Combine(second, "results.csv")));
    }
}
