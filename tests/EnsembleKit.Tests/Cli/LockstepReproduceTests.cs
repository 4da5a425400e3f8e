using EnsembleKit.Cli;
using EnsembleKit.Training;

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
        var (sequentialExit, sequentialError) = KitCli.RunInProcess([.. quick, "--out", sequential]);
        Assert.Equal(0, sequentialExit);
        Assert.DoesNotContain("note: on a CPU", sequentialError);   // only a lockstep run carries the note
        Assert.Equal(0, Program.Main([.. quick, "--lockstep", "--out", lockstep]));
        // same members up to float rounding: the same accuracies to two decimals
        Assert.Equal(Accuracies(sequential), Accuracies(lockstep));
        Assert.Equal(["member 1", "member 2", "ensemble"], Accuracies(lockstep).Select(a => a.Split(',')[0]));
    }

    [Fact]
    public void LockstepWithCheckpointKeepsOneFileAndReusesIt()
    {
        string[] quick = ["reproduce", "fmnist-deep-ensemble", "--lockstep", "--seed", "4", "--epochs", "2", "--members", "2", "--train-limit", "300"];
        string checkpoint = _temp.NewFolder(), first = _temp.NewFolder(), second = _temp.NewFolder();
        var (exit, error) = KitCli.RunInProcess([.. quick, "--checkpoint", checkpoint, "--out", first]);
        Assert.True(exit == 0, error);
        // on a CPU the run first notes what lockstep measured there
        if (EnsembleKit.Backend.TorchRuntime.Device.type == TorchSharp.DeviceType.CPU) Assert.Contains(EnsembleKit.Cli.Commands.ReproduceCommand.LockstepOnCpuNote, error);
        else Assert.DoesNotContain("note: on a CPU", error);
        var file = Path.Combine(checkpoint, "member.lockstep");
        Assert.Equal([file], Directory.GetFiles(checkpoint));
        Assert.Equal(2, Checkpoint.EpochsDone(file));
        Assert.Equal(new KeyValuePair<string, string>("trainer", "lockstep, 2 members, seeds 4..5"), Checkpoint.ReadSettings(file).Settings[0]);

        // finished: the rerun takes the members from the checkpoint, writes nothing, and prints the same table
        var written = File.GetLastWriteTimeUtc(file);
        Assert.Equal(0, KitCli.RunInProcess([.. quick, "--checkpoint", checkpoint, "--out", second]).Code);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "results.csv")), File.ReadAllText(Path.Combine(second, "results.csv")));

        // another member count is refused, naming the difference and the file
        var (refusedExit, refused) = KitCli.RunInProcess(["reproduce", "fmnist-deep-ensemble", "--lockstep", "--seed", "4", "--epochs", "2", "--members", "3",
            "--train-limit", "300", "--checkpoint", checkpoint, "--out", _temp.NewFolder()]);
        Assert.Equal(1, refusedExit);
        Assert.Contains("trainer: checkpoint lockstep, 2 members, seeds 4..5, this run lockstep, 3 members, seeds 4..6", refused);
        Assert.Contains(file, refused);
    }

    [Fact]
    public void LockstepWorkersGiveTheSequentialTableWithACheckpointAGroup()
    {
        string[] quick = ["reproduce", "fmnist-deep-ensemble", "--epochs", "1", "--members", "2", "--train-limit", "1000"];
        string sequential = _temp.NewFolder(), grouped = _temp.NewFolder(), checkpoint = _temp.NewFolder();
        Assert.Equal(0, KitCli.RunInProcess([.. quick, "--out", sequential]).Code);
        var (exit, error) = KitCli.RunInProcess([.. quick, "--lockstep", "--lockstep-workers", "2", "--checkpoint", checkpoint, "--out", grouped]);
        Assert.True(exit == 0, error);
        Assert.Contains("lockstep: 2 member groups at once, one thread each.", error);
        Assert.Equal(Accuracies(sequential), Accuracies(grouped));
        Assert.Equal(new[] { "member.lockstep.members1-1", "member.lockstep.members2-2" }, Directory.GetFiles(checkpoint).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("0", "--lockstep-workers must be 'auto' or a positive whole number; got '0'.")]
    [InlineData("two", "--lockstep-workers must be 'auto' or a positive whole number; got 'two'.")]
    public void BadLockstepWorkersAreRefusedBeforeAnyWork(string value, string message)
    {
        var (exit, error) = KitCli.RunInProcess(["reproduce", "fmnist-deep-ensemble", "--lockstep", "--lockstep-workers", value, "--out", _temp.NewFolder()]);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
    }

    [Fact]
    public void LockstepWorkersWithoutLockstepAreRefused()
    {
        var (exit, error) = KitCli.RunInProcess(["reproduce", "fmnist-deep-ensemble", "--lockstep-workers", "auto", "--out", _temp.NewFolder()]);
        Assert.Equal(2, exit);
        Assert.Contains("--lockstep-workers needs --lockstep.", error);
    }
}
