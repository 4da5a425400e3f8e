using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static EnsembleKit.Tests.Training.CheckpointFixtures;

namespace EnsembleKit.Tests.Training;

/// <summary>A checkpoint is resumed only by a run with the same settings; any other run is refused, naming what differs.</summary>
public class CheckpointSettingsTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A run crashed after 2 of 3 epochs (seed 1, batch 16, 48 rows, MLP 6-5-3), then a second run with one thing changed:
    /// it must be refused, and the message must name the setting with both values, the file, and how to start afresh.
    /// </summary>
    [Theory]
    [InlineData("seed", "seed: checkpoint 1, this run 9")]
    [InlineData("epochs", "epochs: checkpoint 3, this run 6")]
    [InlineData("batch size", "batch size: checkpoint 16, this run 8")]
    [InlineData("learning rate", "learning rate: checkpoint 0.1, this run 0.05")]
    [InlineData("optimizer", "optimizer: checkpoint Sgd, this run Adam")]
    [InlineData("schedule", "schedule: checkpoint CosineAnnealingSchedule(MinimumRate = 0), this run StepDecaySchedule(Factor = 0.1, Milestones = [0.5, 0.75])")]
    [InlineData("data rows", "data rows: checkpoint 48, this run 40")]
    [InlineData("data content", "data content: checkpoint ")]
    [InlineData("model", "model: checkpoint Mlp, 4 tensors, 53 values, this run Mlp, 4 tensors, 63 values")]
    [InlineData("callbacks", "callbacks: checkpoint none, this run EpochCounter")]
    [InlineData("memory layout", "memory layout: checkpoint (not recorded), this run channels-last")]
    public void ARunWithOtherSettingsIsRefusedNamingTheDifference(string change, string expected)
    {
        using var data = TinyData();
        var path = _temp.File("run.ckpt");
        FitAndCrash(path, Quick, data, epochs: 2);
        var before = File.ReadAllBytes(path);

        using var otherData = change switch { "data rows" => TinyData(rows: 40), "data content" => TinyData(seed: 8), _ => null };
        var options = change switch
        {
            "seed" => Quick with { Seed = 9 },
            "epochs" => Quick with { Epochs = 6 },
            "batch size" => Quick with { BatchSize = 8 },
            "learning rate" => Quick with { LearningRate = 0.05 },
            "optimizer" => Quick with { Optimizer = OptimizerKind.Adam },
            "schedule" => Quick with { Schedule = new StepDecaySchedule(0.1, 0.5, 0.75) },
            "callbacks" => Quick with { Callbacks = [new EpochCounter(changesTraining: true)] },
            "memory layout" => Quick with { ChannelsLast = true },
            _ => Quick,
        };
        using var model = TinyModel(hidden: change == "model" ? 6 : 5);
        var refused = Assert.Throws<CheckpointMismatchException>(() => Fit(path, options, otherData ?? data, model));

        Assert.Contains(refused.Differences, d => d.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(refused.Differences, d => Assert.True(d.EndsWith("(not compared)", StringComparison.Ordinal) || d.StartsWith(change, StringComparison.Ordinal)
            || (change == "data rows" && d.StartsWith("data content", StringComparison.Ordinal)) || (change == "model" && d.StartsWith("model layout", StringComparison.Ordinal)),
            $"unexpected difference '{d}' for a change of {change}"));
        Assert.Equal(path, refused.Path);
        Assert.Contains(path, refused.Message);
        Assert.Contains(expected, refused.Message);
        Assert.Contains($"delete {path}", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(path)); // a refused run leaves the checkpoint as it was
    }

    [Fact]
    public void AFinishedFourEpochCheckpointIsNotContinuedToEightEpochs()
    {
        // The schedule depends on the total epoch count: continuing would train epochs 5-8 on another schedule than 1-4.
        using var data = TinyData();
        var path = _temp.File("run.ckpt");
        Fit(path, Quick with { Epochs = 4 }, data);
        var refused = Assert.Throws<CheckpointMismatchException>(() => Fit(path, Quick with { Epochs = 8 }, data));
        Assert.Equal(["epochs: checkpoint 4, this run 8"], refused.Differences);
    }

    [Fact]
    public void TheSameSettingsResumeBitIdenticallyAndAFinishedRunIsReusedWithoutTraining()
    {
        using var data = TinyData();
        using var uninterrupted = TinyModel();
        var full = new Trainer(Quick).Fit(uninterrupted, data);

        var path = _temp.File("run.ckpt");
        FitAndCrash(path, Quick, data, epochs: 1);
        // An observer that was not there before does not change the settings; nor does another initialisation.
        var counter = new EpochCounter();
        using var resumed = TinyModel(seed: 99);
        var history = Fit(path, Quick with { Callbacks = [counter] }, data, resumed);
        Assert.Equal(2, counter.Epochs);
        Assert.Equal(full.Epochs.Select(e => e.Loss), history.Epochs.Select(e => e.Loss));
        Assert.True(SameWeights(uninterrupted, resumed));

        var again = new EpochCounter();
        using var reused = TinyModel(seed: 98);
        var reusedHistory = Fit(path, Quick with { Callbacks = [again] }, data, reused);
        Assert.Equal(0, again.Epochs);
        Assert.Equal(full.Epochs.Select(e => e.Loss), reusedHistory.Epochs.Select(e => e.Loss));
        Assert.True(SameWeights(uninterrupted, reused));
    }

    [Fact]
    public void NotesSuchAsTheDataNameAreRecordedButNotCompared()
    {
        using var data = TinyData();
        var path = _temp.File("run.ckpt");
        Fit(path, Quick, data);
        var recorded = Checkpoint.ReadSettings(path);
        Assert.Contains(new KeyValuePair<string, string>("data name", "tiny"), recorded.Notes);
        Assert.Contains(new KeyValuePair<string, string>("device", "cpu"), recorded.Notes);

        using var renamed = data.Take(data.Count, "the same rows under another name");
        Fit(path, Quick, renamed);
        using var model = TinyModel();
        var renamedSettings = RunFingerprint.Of(Quick, model, renamed);
        Assert.Empty(renamedSettings.DifferencesFrom(recorded));
    }

    [Fact]
    public void ARefusedCheckpointLeavesTheModelUntouched()
    {
        using var data = TinyData();
        var path = _temp.File("run.ckpt");
        Fit(path, Quick, data);
        using var model = TinyModel(seed: 5);
        using var reference = TinyModel(seed: 5);
        Assert.Throws<CheckpointMismatchException>(() => Fit(path, Quick with { Seed = 2 }, data, model));
        Assert.True(SameWeights(reference, model));
    }

    [Fact]
    public void DeepEnsembleMembersAreRefusedUnderAnotherSeed()
    {
        using var data = TinyData();
        var prefix = _temp.File("member");
        using (DeepEnsemble.Train(() => new Mlp([(6, 5), (5, 3)]), data, Quick with { CheckpointPath = prefix }, count: 2, seed: 3)) { }
        // Member 0 of seed 4 would be member 1 of seed 3 if the seed were not compared: the same initialisation, another file.
        var refused = Assert.Throws<CheckpointMismatchException>(() =>
            DeepEnsemble.Train(() => new Mlp([(6, 5), (5, 3)]), data, Quick with { CheckpointPath = prefix }, count: 1, seed: 4));
        Assert.Equal($"{prefix}.member0", refused.Path);
        Assert.Equal(["seed: checkpoint 3, this run 4"], refused.Differences);
    }
}
