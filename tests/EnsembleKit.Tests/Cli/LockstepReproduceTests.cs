using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

public class LockstepReproduceTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static string[] Accuracies(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "results.csv")).Skip(1).Select(l => string.Join(",", l.Split(',').Take(2))).ToArray();

    [Fact]
    public void LockstepGivesTheSequentialTable()
    {
        string[] quick = ["reproduce", "fmnist-deep-ensemble", "--epochs", "1", "--members", "2", "--train-limit", "1000"];
        var sequential = _temp.NewFolder();
        var lockstep = _temp.NewFolder();
        Assert.Equal(0, Program.Main([.. quick, "--out", sequential]));
        Assert.Equal(0, Program.Main([.. quick, "--lockstep", "--out", lockstep]));
        // same members up to float rounding: the same accuracies to two decimals
        Assert.Equal(Accuracies(sequential), Accuracies(lockstep));
        Assert.Equal(["member 1", "member 2", "ensemble"], Accuracies(lockstep).Select(a => a.Split(',')[0]));
    }

    [Fact]
    public void LockstepWithCheckpointIsRefused()
    {
        Assert.Equal(2, Program.Main(["reproduce", "fmnist-deep-ensemble", "--lockstep", "--checkpoint", _temp.NewFolder(), "--out", _temp.NewFolder()]));
    }
}
