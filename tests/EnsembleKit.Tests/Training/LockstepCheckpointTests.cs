using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static EnsembleKit.Tests.Training.CheckpointFixtures;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// A lockstep run keeps one checkpoint for all its members: a run stopped after k of n epochs and restarted gives the
/// uninterrupted run's members bit for bit; a checkpoint of another run (other M, rate or seed, or a sequential run) is
/// refused naming the difference, and a damaged one is refused without touching anything.
/// </summary>
public class LockstepCheckpointTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    const long Seed = 5;

    static DeepEnsemble Lockstep(TensorDataset data, TrainingOptions options, int count = 3) =>
        DeepEnsemble.Train(DropoutMember, data, options, count, seed: Seed, lockstep: true);

    /// <summary>M fresh members initialised as <see cref="DeepEnsemble.Train{TModel}"/> initialises them.</summary>
    static List<nn.Module<Tensor, Tensor>> Members(int count) => [.. Enumerable.Range(0, count).Select(m =>
    {
        manual_seed(Seed + m);
        return (nn.Module<Tensor, Tensor>)DropoutMember();
    })];

    /// <summary>A 3-member lockstep run at <paramref name="path"/> stopped after <paramref name="epochs"/> epochs.</summary>
    static void CrashAfter(int epochs, string path, TensorDataset data)
    {
        var members = Members(3);
        Assert.Throws<OperationCanceledException>(() =>
            new LockstepTrainer(LockstepRun with { Seed = Seed, CheckpointPath = path, Progress = new KillAfterEpoch(epochs) }).Fit(members, data));
        foreach (var m in members) m.Dispose();
    }

    sealed class EpochsReported : IProgressSink
    {
        public List<int> Done { get; } = [];
        public void Report(ProgressUpdate update) => Done.Add(update.Done);
    }

    [Theory]
    [InlineData(1, OptimizerKind.Sgd)]
    [InlineData(3, OptimizerKind.Sgd)]
    [InlineData(2, OptimizerKind.Adam)]
    public void ARunStoppedAfterKEpochsAndRestartedEqualsTheUninterruptedRun(int k, OptimizerKind optimizer)
    {
        using var data = TinyData(rows: 96);
        var options = LockstepRun with { Optimizer = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.01 : 0.1 };
        using var reference = Lockstep(data, options);

        var path = _temp.File("run");
        Assert.Throws<OperationCanceledException>(() => Lockstep(data, options with { CheckpointPath = path, Progress = new KillAfterEpoch(k) }));
        var file = path + ".lockstep";
        Assert.Equal(k, Checkpoint.EpochsDone(file));
        Assert.False(File.Exists(path + ".member0"));
        Assert.Equal(new KeyValuePair<string, string>("trainer", "lockstep, 3 members, seeds 5..7"), Checkpoint.ReadSettings(file).Settings[0]);

        var reported = new EpochsReported();
        using var resumed = Lockstep(data, options with { CheckpointPath = path, Progress = reported });
        Assert.Equal(Enumerable.Range(k + 1, options.Epochs - k), reported.Done); // only the epochs left were trained
        Assert.Equal(options.Epochs, Checkpoint.EpochsDone(file));
        for (int m = 0; m < 3; m++)
        {
            Assert.True(SameWeights(reference.Members[m], resumed.Members[m]), $"member {m} differs from the uninterrupted run's");
            Assert.Equal($"member {m + 1}/3", resumed.Histories[m].Label);
            Assert.Equal(Enumerable.Range(0, options.Epochs), resumed.Histories[m].Epochs.Select(e => e.Epoch));
            Assert.Equal(reference.Histories[m].Epochs.Select(e => (e.Loss, e.LearningRate)), resumed.Histories[m].Epochs.Select(e => (e.Loss, e.LearningRate)));
        }
        Assert.False(SameWeights(resumed.Members[0], resumed.Members[1]), "members 0 and 1 are the same model");
    }

    [Fact]
    public void AFinishedRunIsTakenFromItsCheckpointWithoutTraining()
    {
        using var data = TinyData(rows: 96);
        var path = _temp.File("run");
        using var first = Lockstep(data, LockstepRun with { CheckpointPath = path });
        var bytes = File.ReadAllBytes(path + ".lockstep");
        var reported = new EpochsReported();
        using var again = Lockstep(data, LockstepRun with { CheckpointPath = path, Progress = reported });
        Assert.Empty(reported.Done);
        Assert.Equal(bytes, File.ReadAllBytes(path + ".lockstep"));
        for (int m = 0; m < 3; m++)
        {
            Assert.True(SameWeights(first.Members[m], again.Members[m]), $"member {m}");
            Assert.Equal(first.Histories[m].Epochs, again.Histories[m].Epochs);
        }
    }

    [Theory]
    [InlineData("members", "trainer: checkpoint lockstep, 3 members, seeds 5..7, this run lockstep, 2 members, seeds 5..6")]
    [InlineData("members", "model: checkpoint LockstepMlp, 4 tensors, 249 values, this run LockstepMlp, 4 tensors, 166 values")]
    [InlineData("learning rate", "learning rate: checkpoint 0.1, this run 0.05")]
    [InlineData("seed", "trainer: checkpoint lockstep, 3 members, seeds 5..7, this run lockstep, 3 members, seeds 6..8")]
    public void ACheckpointOfAnotherLockstepRunIsRefusedNamingTheDifference(string change, string expected)
    {
        using var data = TinyData(rows: 96);
        var path = _temp.File("run.ckpt");
        CrashAfter(2, path, data);
        var before = File.ReadAllBytes(path);

        var (options, count) = change switch
        {
            "members" => (LockstepRun with { Seed = Seed }, 2),
            "learning rate" => (LockstepRun with { Seed = Seed, LearningRate = 0.05 }, 3),
            _ => (LockstepRun with { Seed = Seed + 1 }, 3),
        };
        var members = Members(count);
        var refused = Assert.Throws<CheckpointMismatchException>(() => new LockstepTrainer(options with { CheckpointPath = path }).Fit(members, data));
        Assert.Contains(expected, refused.Differences);
        Assert.Equal(path, refused.Path);
        Assert.Contains($"delete {path}", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void ALockstepRunRefusesASequentialCheckpoint()
    {
        using var data = TinyData(rows: 96);
        var path = _temp.File("run.ckpt");
        var sequential = Members(1)[0];
        new Trainer(LockstepRun with { Seed = Seed, CheckpointPath = path }).Fit(sequential, data);
        var before = File.ReadAllBytes(path);

        var members = Members(1);
        var refused = Assert.Throws<CheckpointMismatchException>(() => new LockstepTrainer(LockstepRun with { Seed = Seed, CheckpointPath = path }).Fit(members, data));
        Assert.Contains("trainer: checkpoint (not recorded), this run lockstep, 1 member, seeds 5..5", refused.Differences);
        Assert.Contains(refused.Differences, d => d.StartsWith("model: checkpoint Mlp, ", StringComparison.Ordinal) && d.Contains("this run LockstepMlp, "));
        Assert.Equal(before, File.ReadAllBytes(path));
        sequential.Dispose();
        members[0].Dispose();
    }

    [Fact]
    public void ASequentialRunRefusesALockstepCheckpoint()
    {
        using var data = TinyData(rows: 96);
        var path = _temp.File("run.ckpt");
        var members = Members(1);
        new LockstepTrainer(LockstepRun with { Seed = Seed, CheckpointPath = path }).Fit(members, data);
        var before = File.ReadAllBytes(path);

        var sequential = Members(1)[0];
        var refused = Assert.Throws<CheckpointMismatchException>(() => new Trainer(LockstepRun with { Seed = Seed, CheckpointPath = path }).Fit(sequential, data));
        Assert.Contains("trainer: checkpoint lockstep, 1 member, seeds 5..5, this run (not recorded)", refused.Differences);
        Assert.Equal(before, File.ReadAllBytes(path));
        sequential.Dispose();
        members[0].Dispose();
    }

    [Theory]
    [InlineData(1)]      // the trailer's line break
    [InlineData(100)]    // into the checksum line and the optimiser state
    [InlineData(-200)]   // keeps only the header and 200 payload bytes
    public void ATruncatedCheckpointIsRefusedAndNothingChanges(int cut)
    {
        using var data = TinyData(rows: 96);
        var path = _temp.File("run.ckpt");
        CrashAfter(2, path, data);
        var bytes = File.ReadAllBytes(path);
        int headerEnd = bytes.AsSpan().IndexOf("\n\n"u8) + 2;
        var truncated = bytes[..(cut > 0 ? bytes.Length - cut : headerEnd - cut)];
        File.WriteAllBytes(path, truncated);

        var members = Members(3);
        var initial = members.Select(m => ModelState.Copy(m)).ToList();
        var refused = Assert.Throws<CheckpointDamagedException>(() => new LockstepTrainer(LockstepRun with { Seed = Seed, CheckpointPath = path }).Fit(members, data));
        Assert.Equal(path, refused.Path);
        Assert.Contains("truncated", refused.Reason);
        Assert.Equal(truncated, File.ReadAllBytes(path));
        for (int m = 0; m < 3; m++)
        {
            foreach (var (name, value) in members[m].state_dict())
                Assert.True(value.allclose(initial[m][name], rtol: 0, atol: 0), $"member {m}'s {name} changed");
            ModelState.Dispose(initial[m]);
            members[m].Dispose();
        }
    }

    [Fact]
    public void AFileWithAnotherNumberOfHistoriesIsRefusedAsDamaged()
    {
        // Only a caller that builds its own settings can reach this (the lockstep trainer records M in them).
        using var data = TinyData();
        var path = _temp.File("histories.ckpt");
        using var model = TinyModel();
        var settings = RunFingerprint.Of(Quick, model, data);
        using (var optimizer = optim.SGD(model.parameters(), 0.1))
            Checkpoint.Save(path, settings, model, optimizer, [new TrainingHistory("a"), new TrainingHistory("b")], 0);
        using var reload = optim.SGD(model.parameters(), 0.1);
        var histories = new[] { new TrainingHistory("a"), new TrainingHistory("b"), new TrainingHistory("c") };
        var refused = Assert.Throws<CheckpointDamagedException>(() => Checkpoint.Load(path, settings, model, reload, histories));
        Assert.Contains("it holds 2 histories, but this run trains 3 models", refused.Reason);
        Assert.All(histories, h => Assert.Empty(h.Epochs));
    }
}
