using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static EnsembleKit.Tests.Training.CheckpointFixtures;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// Lockstep member groups on CPU threads (<see cref="LockstepTrainer.Workers"/>): every member ends as it does in one
/// lockstep computation and as it does trained alone (to float rounding: each group sums on one thread), groups keep and
/// resume their own checkpoints, a failure in a group reaches the caller, and the caller's thread count is restored.
/// </summary>
public class LockstepWorkersTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static DeepEnsemble Train(int workers, TrainingOptions options, int count = 4, bool lockstep = true)
    {
        using var data = TinyData(rows: 96);
        return DeepEnsemble.Train(DropoutMember, data, options, count, seed: 9, lockstep: lockstep, lockstepWorkers: workers);
    }

    static double MaxWeightDifference(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b) => a.parameters().Zip(b.parameters())
        .Max(p => { using var d = (p.First - p.Second).abs().max(); return (double)d.item<float>(); });

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(1, 16, 1)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 3)]      // groups of one: two would leave one core idle half the time
    [InlineData(8, 2, 2)]
    [InlineData(5, 2, 5)]
    [InlineData(6, 4, 6)]
    [InlineData(8, 4, 4)]
    [InlineData(2, 8, 2)]
    public void CpuWorkersKeepEveryThreadBusyWithEqualGroups(int members, int threads, int expected) =>
        Assert.Equal(expected, LockstepTrainer.CpuWorkers(members, threads));

    [Fact]
    public void BadWorkerCountsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LockstepTrainer.CpuWorkers(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LockstepTrainer.CpuWorkers(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LockstepTrainer(LockstepRun) { Workers = 0 });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Train(workers: -1, LockstepRun));
        Assert.Contains("-1", e.Message);
        Assert.Throws<ArgumentException>(() => Train(workers: 2, LockstepRun, lockstep: false));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]   // uneven groups: members 1, 2-3, 4
    [InlineData(4)]
    [InlineData(9)]   // more workers than members: one a member
    public void GroupsGiveTheMembersOfOneComputationAndOfSequentialTraining(int workers)
    {
        using var together = Train(1, LockstepRun);
        using var grouped = Train(workers, LockstepRun);
        using var sequential = Train(1, LockstepRun, lockstep: false);
        for (int m = 0; m < 4; m++)
        {
            Assert.True(MaxWeightDifference(together.Members[m], grouped.Members[m]) <= 1e-5, $"member {m} differs from one computation's");
            Assert.True(MaxWeightDifference(sequential.Members[m], grouped.Members[m]) <= 1e-5, $"member {m} differs from sequential training's");
            Assert.Equal($"member {m + 1}/4", grouped.Histories[m].Label);
            var losses = grouped.Histories[m].Epochs.Select(e => e.Loss).ToArray();
            Assert.Equal(together.Histories[m].Epochs.Select(e => e.Loss).ToArray(), losses, (a, b) => Math.Abs(a - b) <= 1e-5);
        }
        Assert.True(MaxWeightDifference(grouped.Members[0], grouped.Members[3]) > 1e-2, "members 1 and 4 are the same model");
    }

    [Fact]
    public void TheCallersThreadCountIsRestored()
    {
        int before = get_num_threads();
        using (Train(2, LockstepRun)) { }
        Assert.Equal(before, get_num_threads());
    }

    sealed class EpochsReported : IProgressSink
    {
        readonly object gate = new();
        public List<(string Label, int Done)> Reports { get; } = [];
        public void Report(ProgressUpdate update)
        {
            lock (gate) Reports.Add((update.Label, update.Done));
        }
    }

    [Fact]
    public void EachGroupKeepsAndResumesItsOwnCheckpoint()
    {
        using var reference = Train(2, LockstepRun);
        var path = _temp.File("run");
        // The first group to report its second epoch stops, as a killed process would, and stops the other group at its
        // next step: that one has 0 to 2 epochs on disk (no file at 0), depending on how far it had got.
        Assert.Throws<OperationCanceledException>(() => Train(2, LockstepRun with { CheckpointPath = path, Progress = new KillAfterEpoch(2) }));
        var files = new[] { path + ".lockstep.members1-2", path + ".lockstep.members3-4" };
        Assert.Equal(files.Where(File.Exists).Order(), Directory.GetFiles(Path.GetDirectoryName(path)!).Order());
        var done = files.Select(f => File.Exists(f) ? Checkpoint.EpochsDone(f) : 0).ToList();
        Assert.All(done, d => Assert.InRange(d, 0, 2));
        Assert.Contains(2, done);
        string[] seeds = ["seeds 9..10", "seeds 11..12"];
        for (int g = 0; g < 2; g++)
            if (done[g] > 0) Assert.Equal(new KeyValuePair<string, string>("trainer", $"lockstep, 2 members, {seeds[g]}"), Checkpoint.ReadSettings(files[g]).Settings[0]);

        var reported = new EpochsReported();
        using var resumed = Train(2, LockstepRun with { CheckpointPath = path, Progress = reported });
        // each group trained only the epochs it had left, reporting under its own label
        string[] labels = ["lockstep 4 members, members 1-2", "lockstep 4 members, members 3-4"];
        Assert.Equal(labels, reported.Reports.Select(r => r.Label).Distinct().Order());
        for (int g = 0; g < 2; g++)
            Assert.Equal(Enumerable.Range(done[g] + 1, 4 - done[g]), reported.Reports.Where(r => r.Label == labels[g]).Select(r => r.Done));
        for (int m = 0; m < 4; m++)
            Assert.Equal(0, MaxWeightDifference(reference.Members[m], resumed.Members[m]));
    }

    [Fact]
    public void ARunWithAnotherGroupingRefusesTheCheckpointsItCannotUse()
    {
        // Killed with two groups, restarted as one computation (or with four groups: another thread count under `auto`):
        // none of its own files exist, and it used to train again from the first epoch, silently.
        var path = _temp.File("run");
        Assert.Throws<OperationCanceledException>(() => Train(2, LockstepRun with { CheckpointPath = path, Progress = new KillAfterEpoch(2) }));
        var left = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order().ToList();
        Assert.NotEmpty(left);
        foreach (int workers in new[] { 1, 4 })
        {
            var e = Assert.Throws<CheckpointMismatchException>(() => Train(workers, LockstepRun with { CheckpointPath = path }));
            Assert.Contains("member groups: this run trains 4 members as " + (workers == 1 ? "one computation" : "4 member groups"), e.Message);
            Assert.All(left, f => Assert.Contains(f!, e.Message));
        }
        // The grouping that wrote them resumes.
        using var resumed = Train(2, LockstepRun with { CheckpointPath = path });
        Assert.Equal(4, resumed.Members.Count);
    }

    /// <summary>Throws in one group's report of its first epoch.</summary>
    sealed class FailGroup(string label) : IProgressSink
    {
        public void Report(ProgressUpdate update)
        {
            if (update.Label.EndsWith(label, StringComparison.Ordinal)) throw new InvalidOperationException($"{update.Label} failed");
        }
    }

    [Fact]
    public void AFailingGroupStopsTheOthersAndItsErrorReachesTheCaller()
    {
        var path = _temp.File("long");
        // 400 epochs a group; the second group fails after its first, and the first group stops at its next step.
        var e = Assert.Throws<InvalidOperationException>(() =>
            Train(2, LockstepRun with { Epochs = 400, CheckpointPath = path, Progress = new FailGroup("members 3-4") }));
        Assert.Equal("lockstep 4 members, members 3-4 failed", e.Message);
        Assert.Equal(1, Checkpoint.EpochsDone(path + ".lockstep.members3-4"));
        var other = path + ".lockstep.members1-2";
        Assert.InRange(File.Exists(other) ? Checkpoint.EpochsDone(other) : 0, 0, 200);
    }

    [Fact]
    public void AFailingGroupReachesTheCallerNamingItsMember()
    {
        var options = LockstepRun with { LearningRate = 1e30, Momentum = 0 };
        var e = Assert.Throws<ArithmeticException>(() => Train(2, options));
        Assert.Matches("member [1-4]/4's training loss", e.Message);
    }
}
