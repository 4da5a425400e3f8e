using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// A snapshot, FGE or SWA run resumed from its checkpoint keeps what it gathered in the epochs it skips (saved beside
/// the checkpoint), so the result is the one an uninterrupted run gives; what was not saved stops the run (SWAG too).
/// </summary>
public class SnapshotResumeTests
{
    static readonly TrainingOptions FourEpochs = new() { Epochs = 4, BatchSize = 128, LearningRate = 0.1, Progress = ProgressSinks.None };

    static Mlp Small() => new([(784, 32), (32, 10)]);

    /// <summary>Stops the run at the end of one epoch, before its checkpoint is written, as a crash would.</summary>
    sealed class StopAt(int epoch) : ITrainingCallback
    {
        public bool ChangesTraining => false;
        public void OnEpochEnd(TrainingContext context)
        {
            if (context.Epoch == epoch) throw new OperationCanceledException($"stopped at epoch {epoch + 1}");
        }
    }

    static SnapshotEnsemble Run(TensorDataset train, TrainingOptions options)
    {
        manual_seed(2);
        return SnapshotEnsemble.Train(Small(), train, options, cycles: 2, create: Small);
    }

    static void AssertSameSnapshots(SnapshotBasedEnsemble expected, SnapshotBasedEnsemble actual)
    {
        Assert.Equal(expected.Snapshots.Select(s => (s.Label, s.Epoch)), actual.Snapshots.Select(s => (s.Label, s.Epoch)));
        for (int i = 0; i < expected.Count; i++)
            foreach (var (name, tensor) in expected.Snapshots[i].State)
                Assert.True(tensor.eq(actual.Snapshots[i].State[name]).all().item<bool>(), $"snapshot {i}: '{name}' differs");
    }

    [Fact]
    public void AResumedSnapshotRunHasEverySnapshotOfAnUninterruptedOne()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        using var temp = new TempFolder();
        var options = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "snapshot-run") };
        using var whole = Run(train, FourEpochs);
        // stopped in the third epoch's end, after the first cycle's snapshot (epoch 2) and before the third checkpoint
        Assert.Throws<OperationCanceledException>(() => Run(train, options with { Callbacks = [new StopAt(2)] }));
        Assert.Equal(2, Checkpoint.EpochsDone(options.CheckpointPath!));
        Assert.True(File.Exists(options.CheckpointPath + ".snapshot-epoch2"));
        using var resumed = Run(train, options);
        Assert.Equal([1, 3], resumed.Snapshots.Select(s => s.Epoch));
        AssertSameSnapshots(whole, resumed);
        // all epochs done: the run takes its snapshots from disk without training
        using var again = Run(train, options);
        AssertSameSnapshots(whole, again);
        Assert.Equal(4, again.History.Epochs.Count);
    }

    [Fact]
    public void ASnapshotThatWasNotSavedStopsTheResumedRun()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var temp = new TempFolder();
        var options = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "snapshot-run") };
        Assert.Throws<OperationCanceledException>(() => Run(train, options with { Callbacks = [new StopAt(2)] }));
        File.Delete(options.CheckpointPath + ".snapshot-epoch2");
        var missing = Assert.Throws<CheckpointDamagedException>(() => Run(train, options));
        Assert.Contains("the snapshot of epoch 2 was not saved", missing.Message);
        Assert.Contains($"To train afresh, delete {options.CheckpointPath}", missing.Message);

        // a callback kept in memory only cannot give back what a resumed run skips
        using var model = Small();
        var plain = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "plain-run") };
        Assert.Throws<OperationCanceledException>(() => Trainer.Train(model, train, plain with { Callbacks = [new SnapshotCallback((epoch, _) => epoch == 0), new StopAt(2)] }));
        var refused = Assert.Throws<CheckpointDamagedException>(() => Trainer.Train(model, train, plain with { Callbacks = [new SnapshotCallback((epoch, _) => epoch == 0)] }));
        Assert.Contains("kept in memory only", refused.Message);
    }

    [Fact]
    public void ADamagedSnapshotFileIsRefused()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var temp = new TempFolder();
        var options = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "snapshot-run") };
        using (Run(train, options)) { }
        var file = options.CheckpointPath + ".snapshot-epoch4";
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        var damaged = Assert.Throws<CheckpointDamagedException>(() => Run(train, options));
        Assert.Contains("snapshot-epoch4", damaged.Message);
    }

    [Fact]
    public void AResumedSwaRunContinuesItsAverage()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        using var temp = new TempFolder();
        var options = FourEpochs with { Epochs = 6, CheckpointPath = Path.Combine(temp.Path, "swa-run") };
        var schedule = new SwaSchedule(0.02, SwaStartFraction: 0.5); // averages epochs 4-6
        Swa.Result<Mlp> Run(TrainingOptions o)
        {
            manual_seed(4);
            using var model = Small();
            return Swa.Train(model, Small, train, o, schedule);
        }
        using var whole = Run(options with { CheckpointPath = null });
        // stopped at the end of epoch 5: the checkpoint holds 4 epochs, the average of epoch 4 is on disk
        Assert.Throws<OperationCanceledException>(() => Run(options with { Callbacks = [new StopAt(4)] }));
        Assert.Equal(4, Checkpoint.EpochsDone(options.CheckpointPath!));
        using var resumed = Run(options);
        Assert.Equal(3, resumed.AveragedEpochs);
        foreach (var (name, p) in whole.Averaged.named_parameters())
            Assert.True(p.eq(resumed.Averaged.get_parameter(name)!).all().item<bool>(), $"'{name}' differs");
        // only the last two epochs' averages are kept
        Assert.Equal(["swa-run.swa-average-epoch5", "swa-run.swa-average-epoch6"],
            Directory.GetFiles(temp.Path, "swa-run.swa-average-*").Select(Path.GetFileName).Order());
        // all epochs done: the average comes from disk
        using var again = Run(options);
        Assert.Equal(3, again.AveragedEpochs);
        Assert.True(whole.Averaged.parameters().First().eq(again.Averaged.parameters().First()).all().item<bool>());
    }

    [Fact]
    public void SwagRefusesToResumePartWayThroughItsCollection()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var temp = new TempFolder();
        var options = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "swag-run") };
        var schedule = new SwaSchedule(0.02, SwaStartFraction: 0.25);
        Assert.Throws<OperationCanceledException>(() => Swag.Train(Small(), Small, train, options with { Callbacks = [new StopAt(2)] }, schedule, rank: 2));
        var refused = Assert.Throws<CheckpointDamagedException>(() => Swag.Train(Small(), Small, train, options, schedule, rank: 2));
        Assert.Contains("SWAG's moments of epochs 2-2 are kept in memory only", refused.Message);
    }

    [Fact]
    public void LockstepSnapshotRunsResumeWithTheirSnapshots()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        using var temp = new TempFolder();
        var options = FourEpochs with { CheckpointPath = Path.Combine(temp.Path, "runs") };
        var first = SnapshotEnsemble.TrainRuns(Small, train, options, runs: 2, cycles: 2, lockstep: true);
        Assert.True(File.Exists(options.CheckpointPath + ".lockstep.run1.snapshot-epoch4"));
        var again = SnapshotEnsemble.TrainRuns(Small, train, options, runs: 2, cycles: 2, lockstep: true);
        for (int r = 0; r < 2; r++) AssertSameSnapshots(first[r], again[r]);
        foreach (var run in first.Concat(again)) run.Dispose();
    }
}
