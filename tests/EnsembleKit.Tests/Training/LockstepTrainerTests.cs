using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// Lockstep training must give every member what sequential training with the same seed gives it: the same weights
/// (to float tolerance: the batched products round differently) and the same predictions.
/// </summary>
public class LockstepTrainerTests
{
    static readonly TrainingOptions OneEpoch = new() { Epochs = 1, BatchSize = 128, Progress = ProgressSinks.None };

    /// <summary>Trains <paramref name="count"/> members both ways with seed <paramref name="seed"/>; returns (sequential, lockstep).</summary>
    static (DeepEnsemble Sequential, DeepEnsemble Lockstep) BothWays<TModel>(Func<TModel> create, TensorDataset train, TrainingOptions options,
        int count, long seed, int workers = 1) where TModel : nn.Module<Tensor, Tensor>
    {
        var sequential = DeepEnsemble.Train(create, train, options, count, seed: seed);
        var lockstep = DeepEnsemble.Train(create, train, options, count, seed: seed, lockstep: true, lockstepWorkers: workers);
        return (sequential, lockstep);
    }

    static double MaxWeightDifference(nn.Module<Tensor, Tensor> a, nn.Module<Tensor, Tensor> b)
    {
        double max = 0;
        foreach (var (pa, pb) in a.parameters().Zip(b.parameters()))
        {
            Assert.Equal(pa.shape, pb.shape);
            using var diff = (pa - pb).abs().max();
            max = Math.Max(max, diff.item<float>());
        }
        return max;
    }

    /// <summary>Fraction of <paramref name="test"/> images on which two ensembles' members predict the same class, per member.</summary>
    static double[] PredictionAgreement(DeepEnsemble a, DeepEnsemble b, TensorDataset test)
    {
        using var scope = NewDisposeScope();
        var pa = a.MemberLogits(test).argmax(2);
        var pb = b.MemberLogits(test).argmax(2);
        return pa.eq(pb).to_type(ScalarType.Float64).mean([1]).data<double>().ToArray();
    }

    static void AssertSameMembers(DeepEnsemble sequential, DeepEnsemble lockstep, double tolerance)
    {
        Assert.Equal(sequential.Count, lockstep.Count);
        for (int m = 0; m < sequential.Count; m++)
        {
            double diff = MaxWeightDifference(sequential.Members[m], lockstep.Members[m]);
            Assert.True(diff <= tolerance, $"member {m}: max |Δw| = {diff:E2} > {tolerance:E0}");
            // the members did learn something different from each other (not one model copied M times)
            if (m > 0) Assert.True(MaxWeightDifference(lockstep.Members[0], lockstep.Members[m]) > 1e-2, $"member {m} equals member 0");
            var seqLoss = sequential.Histories[m].Epochs.Select(e => e.Loss).ToArray();
            var lockLoss = lockstep.Histories[m].Epochs.Select(e => e.Loss).ToArray();
            Assert.Equal(seqLoss.Length, lockLoss.Length);
            for (int e = 0; e < seqLoss.Length; e++) Assert.Equal(seqLoss[e], lockLoss[e], 1e-4);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]   // one member a thread (LockstepTrainer.Workers)
    public void MlpMembersMatchSequentialTraining(int workers)
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 2000);
        using var test = FashionMnist.Load(train: false);
        var (sequential, lockstep) = BothWays(Mlp.Seed000, train, OneEpoch, count: 3, seed: 11, workers);
        using (sequential)
        using (lockstep)
        {
            AssertSameMembers(sequential, lockstep, 1e-4);
            Assert.All(PredictionAgreement(sequential, lockstep, test), a => Assert.True(a >= 0.999, $"agreement {a:P2}"));
        }
    }

    static (DeepEnsemble Sequential, DeepEnsemble Lockstep) LeNetBothWays(TensorDataset fullTrain, long images, int workers = 1)
    {
        using var train = fullTrain.Take(images);
        var options = OneEpoch with { LearningRate = 0.05 };
        return BothWays(() => LeNet.Small(10, inChannels: 1, imageSize: 28), train, options, count: 4, seed: 3, workers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]   // two groups of two, one thread each
    public void LeNetSmallMembersMatchSequentialTrainingToRounding(int workers)
    {
        // 8 steps: only float rounding may differ (the summed loss, the stacked optimiser step), so the weights agree closely.
        using var full = FashionMnist.Load(train: true, flatten: false);
        var (sequential, lockstep) = LeNetBothWays(full, 1000, workers);
        using (sequential)
        using (lockstep) AssertSameMembers(sequential, lockstep, 1e-6);
    }

    [Fact]
    public void LeNetSmallMembersPredictLikeSequentialAfterAnEpoch()
    {
        // 16 steps: a rounding difference can grow through ReLU and max-pool near-ties (with grouped convolutions, which
        // round differently, one of four members reached 1.4e-4 and 99.84% agreement), so this bounds the growth too.
        using var full = FashionMnist.Load(train: true, flatten: false);
        using var testFull = FashionMnist.Load(train: false, flatten: false);
        using var test = testFull.Take(5000);
        var (sequential, lockstep) = LeNetBothWays(full, 2000);
        using (sequential)
        using (lockstep)
        {
            AssertSameMembers(sequential, lockstep, 1e-4);
            Assert.All(PredictionAgreement(sequential, lockstep, test), a => Assert.True(a >= 0.999, $"agreement {a:P2}"));
        }
    }

    public static TheoryData<string> Optimizers => ["nesterov", "adam", "one-cycle per step"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void OptimizerSemanticsMatchPerMember(string kind)
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 600);
        var quick = OneEpoch with { Epochs = 2, BatchSize = 100, WeightDecay = 1e-3 };
        var options = kind switch
        {
            "nesterov" => quick with { Nesterov = true, Momentum = 0.8 },
            "adam" => quick with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 },
            _ => quick with { Schedule = new OneCycleSchedule() },
        };
        var (sequential, lockstep) = BothWays(() => new Mlp([(784, 48), (48, 24), (24, 10)]), train, options, count: 3, seed: 20);
        using (sequential)
        using (lockstep) AssertSameMembers(sequential, lockstep, 1e-4);
    }

    [Fact]
    public void DropoutMembersDrawTheirOwnSequentialMasks()
    {
        // Each member's dropout generator is seeded as the sequential trainer seeds torch's global one, and draws
        // masks of the member's own shape, so even with dropout the members match.
        using var train = TestSupport.FashionMnistSubset(train: true, 600);
        var (sequential, lockstep) = BothWays(() => new Mlp([(784, 64), (64, 10)], dropoutRate: 0.5), train, OneEpoch with { Epochs = 2 }, count: 2, seed: 4);
        using (sequential)
        using (lockstep) AssertSameMembers(sequential, lockstep, 1e-4);
    }

    [Fact]
    public void AugmentedLeNetOnCifarShapedDataMatches()
    {
        manual_seed(123);
        using var inputs = rand(256, 3, 32, 32);
        using var targets = randint(0, 10, [256]);
        using var train = new TensorDataset(inputs.clone(), targets.clone(), 10, "random-cifar");
        var options = OneEpoch with { Epochs = 1, BatchSize = 64, LearningRate = 0.02, Augment = Cifar10.TrainAugmentation() };
        var (sequential, lockstep) = BothWays(() => LeNet.Small(dropoutRate: 0.2), train, options, count: 2, seed: 9);
        using (sequential)
        using (lockstep) AssertSameMembers(sequential, lockstep, 1e-4);
    }

    [Fact]
    public void StackedForwardEqualsEachMembersForward()
    {
        manual_seed(5);
        var members = Enumerable.Range(0, 3).Select(_ => LeNet.Small(10, inChannels: 1, imageSize: 28)).ToList();
        using var model = LockstepModels.Create(members);
        model.eval();
        foreach (var m in members) m.eval();
        using var scope = NewDisposeScope();
        var x = randn([3, 7, 1, 28, 28]);
        var stacked = model.forward(x);
        Assert.Equal(new long[] { 3, 7, 10 }, stacked.shape);
        for (int m = 0; m < 3; m++)
            Assert.True(stacked[m].allclose(members[m].forward(x[m]), rtol: 1e-5, atol: 1e-5), $"member {m}");
        foreach (var m in members) m.Dispose();
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeepEnsemble.Train(Mlp.Seed000, train, OneEpoch, count: 0, lockstep: true));
        var empty = Assert.Throws<ArgumentException>(() => LockstepModels.Create([]));
        Assert.Contains("got 0", empty.Message);

        using var a = new Mlp([(784, 32), (32, 10)]);
        using var b = new Mlp([(784, 16), (16, 10)]);
        var spec = Assert.Throws<ArgumentException>(() => LockstepModels.Create([a, b]));
        Assert.Contains("member 1", spec.Message);
        using var c = new Mlp([(784, 32), (32, 10)], dropoutRate: 0.1);
        Assert.Throws<ArgumentException>(() => LockstepModels.Create([a, c]));
        using var lenet = LeNet.Small(10, inChannels: 1, imageSize: 28);
        using var lenetWide = new LeNet(LeNetWidths.Medium, 10, inChannels: 1, imageSize: 28);
        Assert.Throws<ArgumentException>(() => LockstepModels.Create([lenet, lenetWide]));
        var mixed = Assert.Throws<ArgumentException>(() => LockstepModels.Create([a, lenet]));
        Assert.Contains("LeNet", mixed.Message);

        using var cnn = new SmallCnn();
        var unsupported = Assert.Throws<NotSupportedException>(() => LockstepModels.Create([cnn]));
        Assert.Contains("SmallCnn", unsupported.Message);
        Assert.Throws<NotSupportedException>(() => DeepEnsemble.Train(() => new SmallCnn(), train, OneEpoch, count: 2, lockstep: true));
        Assert.Throws<NotSupportedException>(() => new LockstepTrainer(OneEpoch with { Callbacks = [new CheckpointFixtures.EpochCounter()] }));

        using var model = LockstepModels.Create([a, a]);
        using var wrongCount = randn(3, 4, 784);
        Assert.Throws<ArgumentException>(() => model.forward(wrongCount));
        using var wrongWidth = randn(2, 4, 100);
        Assert.Throws<ArgumentException>(() => model.forward(wrongWidth));
    }

    [Fact]
    public void NanLossIsReportedWithTheMember()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        var options = OneEpoch with { LearningRate = 1e30, BatchSize = 50, Momentum = 0 };
        var e = Assert.Throws<ArithmeticException>(() => DeepEnsemble.Train(() => new Mlp([(784, 16), (16, 10)]), train, options, count: 2, lockstep: true));
        Assert.Contains("member", e.Message);
    }

    sealed class CountLiveTensors : IProgressSink
    {
        public List<long> Counts { get; } = [];
        public void Report(ProgressUpdate update) => Counts.Add(Tensor.TotalCount);
    }

    [Fact]
    public void LiveTensorCountStaysFlatOver400Steps()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 1000);
        manual_seed(2);
        var members = Enumerable.Range(0, 3).Select(_ => (nn.Module<Tensor, Tensor>)new Mlp([(784, 32), (32, 10)], dropoutRate: 0.2)).ToList();
        var counter = new CountLiveTensors();
        // 1000 rows / batch 25 = 40 steps an epoch; 10 epochs
        GC.Collect();
        GC.WaitForPendingFinalizers();
        new LockstepTrainer(OneEpoch with { Epochs = 10, BatchSize = 25, Progress = counter }).Fit(members, train);
        Assert.Equal(10, counter.Counts.Count);
        Assert.All(counter.Counts.Skip(1), c => Assert.Equal(counter.Counts[0], c));
        foreach (var m in members) m.Dispose();
    }
}
