using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// Snapshot and FGE runs of several seeds trained together (<see cref="SnapshotEnsemble.TrainRuns{TModel}"/>,
/// <see cref="FastGeometricEnsemble.TrainRuns"/>): each run's snapshots equal those of the run trained alone (exactly one
/// after another, to float tolerance in lockstep), through the lockstep trainer's per-member epoch-end observers.
/// </summary>
public class LockstepRunsTests
{
    static readonly TrainingOptions FourEpochs = new() { Epochs = 4, BatchSize = 128, LearningRate = 0.1, Progress = ProgressSinks.None };

    static Mlp Small() => new([(784, 32), (32, 10)]);

    static double MaxDifference(WeightSnapshot a, WeightSnapshot b)
    {
        Assert.Equal(a.State.Keys.Order(), b.State.Keys.Order());
        return a.State.Max(p =>
        {
            using var diff = (p.Value - b.State[p.Key]).abs().max();
            return (double)diff.item<float>();
        });
    }

    static void AssertSameRuns(IReadOnlyList<SnapshotBasedEnsemble> expected, IReadOnlyList<SnapshotBasedEnsemble> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Count, actual[r].Count);
            Assert.Equal(expected[r].Snapshots.Select(s => s.Epoch), actual[r].Snapshots.Select(s => s.Epoch));
            for (int s = 0; s < expected[r].Count; s++)
            {
                double diff = MaxDifference(expected[r].Snapshots[s], actual[r].Snapshots[s]);
                Assert.True(diff <= tolerance, $"run {r}, snapshot {s}: max |Δw| = {diff:E2} > {tolerance:E0}");
            }
            var expectedLoss = expected[r].History.Epochs.Select(e => e.Loss).ToArray();
            var actualLoss = actual[r].History.Epochs.Select(e => e.Loss).ToArray();
            for (int e = 0; e < expectedLoss.Length; e++) Assert.Equal(expectedLoss[e], actualLoss[e], 1e-4);
        }
        // the runs differ from each other (their own seeds), so the comparison above is not of one run copied
        if (actual.Count > 1) Assert.True(MaxDifference(actual[0].Snapshots[^1], actual[1].Snapshots[^1]) > 1e-2);
    }

    [Fact]
    public void SnapshotRunsOneAfterAnotherAreTrainCalledPerSeed()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        var runs = SnapshotEnsemble.TrainRuns(Small, train, FourEpochs, runs: 2, cycles: 2, seed: 5);
        var byHand = Enumerable.Range(0, 2).Select(r =>
        {
            manual_seed(5 + r);
            var model = Small();
            return SnapshotEnsemble.Train(model, train, FourEpochs with { Seed = 5 + r }, cycles: 2, create: Small);
        }).ToList();
        AssertSameRuns(byHand, runs, tolerance: 0);
        Assert.All(runs, run => Assert.Equal([1, 3], run.Snapshots.Select(s => s.Epoch)));
        // each predicts through the factory: the last snapshot's logits are the hand-trained run's final network's
        using var test = TestSupport.FashionMnistSubset(train: false, 200);
        using var logits = runs[1].MemberLogits(test);
        using var expected = byHand[1].MemberLogits(test);
        Assert.True(logits.eq(expected).all().item<bool>());
        foreach (var run in runs.Concat(byHand)) run.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // one run a thread
    public void SnapshotRunsInLockstepMatchThemOneAfterAnother(int workers)
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        var sequential = SnapshotEnsemble.TrainRuns(Small, train, FourEpochs, runs: 3, cycles: 2, seed: 7);
        var lockstep = SnapshotEnsemble.TrainRuns(Small, train, FourEpochs, runs: 3, cycles: 2, seed: 7, lockstep: true, lockstepWorkers: workers);
        AssertSameRuns(sequential, lockstep, tolerance: 1e-4);
        foreach (var run in sequential.Concat(lockstep)) run.Dispose();
    }

    [Fact]
    public void FgeRunsInLockstepMatchThemOneAfterAnother()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        using var start = DeepEnsemble.Train(Small, train, FourEpochs with { Epochs = 1 }, count: 2, seed: 3);
        List<nn.Module<Tensor, Tensor>> Copies() => start.Members.Select(m =>
        {
            var copy = Small();
            copy.load_state_dict(m.state_dict());
            return (nn.Module<Tensor, Tensor>)copy;
        }).ToList();
        var (a, b) = (Copies(), Copies());
        var sequential = FastGeometricEnsemble.TrainRuns(a, train, FourEpochs, members: 2, cycleEpochs: 2, highRate: 0.05, lowRate: 0.005, create: Small, seed: 3);
        var lockstep = FastGeometricEnsemble.TrainRuns(b, train, FourEpochs, members: 2, cycleEpochs: 2, highRate: 0.05, lowRate: 0.005, create: Small, seed: 3, lockstep: true);
        AssertSameRuns(sequential, lockstep, tolerance: 1e-4);
        // members at each cycle's middle: epochs 1 and 3 of the 3-epoch phase (0-based 0 and 2)
        Assert.All(lockstep, run => Assert.Equal([0, 2], run.Snapshots.Select(s => s.Epoch)));
        foreach (var run in sequential.Concat(lockstep)) run.Dispose();
        foreach (var model in a.Concat(b)) model.Dispose();
    }

    [Fact]
    public void BadRunSettingsAreRefusedBeforeTraining()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        Assert.Throws<ArgumentOutOfRangeException>(() => SnapshotEnsemble.TrainRuns(Small, train, FourEpochs, runs: 0, cycles: 2));
        var cycles = Assert.Throws<ArgumentException>(() => SnapshotEnsemble.TrainRuns(Small, train, FourEpochs, runs: 2, cycles: 3));
        Assert.Contains("4 epochs do not split into 3 equal cycles", cycles.Message);
        Assert.Throws<ArgumentException>(() => FastGeometricEnsemble.TrainRuns([], train, FourEpochs, 2, 2, 0.05, 0.005));
        using var model = Small();
        Assert.Throws<ArgumentOutOfRangeException>(() => FastGeometricEnsemble.TrainRuns([model], train, FourEpochs, 2, cycleEpochs: 3, 0.05, 0.005));
    }

    /// <summary>Records what it is shown at each epoch end: the epoch and the sum of the first layer's weights.</summary>
    sealed class Recorder : ITrainingCallback
    {
        public List<(int Epoch, double WeightSum)> Seen { get; } = [];
        public bool ChangesTraining => false;
        public void OnEpochEnd(TrainingContext context)
        {
            using var sum = context.Model.parameters().First().sum();
            Seen.Add((context.Epoch, sum.item<float>()));
        }
    }

    sealed class StepCounter : ITrainingCallback
    {
        public bool ChangesTraining => false;
        public void OnEpochEnd(TrainingContext context) { }
        public void OnStepEnd(TrainingContext context) { }
    }

    sealed class GradientClipper : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context) { }
    }

    [Fact]
    public void MemberObserversSeeEachMemberAsTheTrainerShowsIt()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        var options = FourEpochs with { Epochs = 3, Seed = 11 };
        var alone = Enumerable.Range(0, 2).Select(m =>
        {
            manual_seed(11 + m);
            using var model = Small();
            var recorder = new Recorder();
            Trainer.Train(model, train, options with { Seed = 11 + m, Callbacks = [recorder] });
            return recorder;
        }).ToList();
        var members = Enumerable.Range(0, 2).Select(m => { manual_seed(11 + m); return (nn.Module<Tensor, Tensor>)Small(); }).ToList();
        var recorders = new[] { new Recorder(), null, };
        new LockstepTrainer(options).Fit(members, train, recorders);
        Assert.Equal([0, 1, 2], recorders[0]!.Seen.Select(s => s.Epoch));
        for (int e = 0; e < 3; e++) Assert.Equal(alone[0].Seen[e].WeightSum, recorders[0]!.Seen[e].WeightSum, 1e-3);
        foreach (var member in members) member.Dispose();
    }

    [Fact]
    public void CallbacksLockstepCannotHonourAreRefused()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        var members = Enumerable.Range(0, 2).Select(_ => (nn.Module<Tensor, Tensor>)Small()).ToList();
        var trainer = new LockstepTrainer(FourEpochs);
        var stepHook = Assert.Throws<NotSupportedException>(() => trainer.Fit(members, train, [null, new StepCounter()]));
        Assert.Contains("member 2/2's callback StepCounter has per-step hooks (OnStepEnd)", stepHook.Message);
        var changes = Assert.Throws<NotSupportedException>(() => trainer.Fit(members, train, [new GradientClipper(), null]));
        Assert.Contains("member 1/2's callback GradientClipper changes training", changes.Message);
        var count = Assert.Throws<ArgumentException>(() => trainer.Fit(members, train, [new Recorder()]));
        Assert.Contains("2 members, 1 callbacks", count.Message);
        foreach (var member in members) member.Dispose();
    }
}
