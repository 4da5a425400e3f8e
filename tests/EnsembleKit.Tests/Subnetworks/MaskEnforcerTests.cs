using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class MaskEnforcerTests
{
    sealed class StepRecorder : ITrainingCallback
    {
        public List<(string Hook, int Epoch, int Step, int Steps)> Calls { get; } = [];
        public void OnBeforeStep(TrainingContext c) => Calls.Add(("before", c.Epoch, c.Step, c.StepsPerEpoch));
        public void OnStepEnd(TrainingContext c) => Calls.Add(("end", c.Epoch, c.Step, c.StepsPerEpoch));
        public void OnEpochEnd(TrainingContext c) => Calls.Add(("epoch", c.Epoch, c.Step, c.StepsPerEpoch));
    }

    [Fact]
    public void TrainerCallsTheStepHooksAroundEveryOptimizerStep()
    {
        using var data = SubnetFixtures.SpiralData(50);   // 100 rows / batch 20 = 5 steps an epoch
        using var model = SubnetFixtures.Spiral();
        var recorder = new StepRecorder();
        new Trainer(SubnetFixtures.Quick with { Callbacks = [recorder] }).Fit(model, data);
        var expected = new List<(string, int, int, int)>();
        for (int e = 0; e < 2; e++)
        {
            for (int s = 0; s < 5; s++) expected.AddRange([("before", e, s, 5), ("end", e, s, 5)]);
            expected.Add(("epoch", e, -1, 0));
        }
        Assert.Equal(expected, recorder.Calls);
    }

    public static TheoryData<OptimizerKind> Optimizers => new() { OptimizerKind.Sgd, OptimizerKind.Adam };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void PrunedWeightsStayExactlyZeroWithMomentumAndWeightDecay(OptimizerKind optimizer)
    {
        using var data = SubnetFixtures.SpiralData(100);
        using var model = SubnetFixtures.Spiral();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.6 }, seed: 2);
        mask.ApplyTo(model);
        var before = model.named_parameters().ToDictionary(np => np.name, np => SubnetFixtures.Values(np.parameter));
        var options = SubnetFixtures.Quick with { Epochs = 3, Optimizer = optimizer, LearningRate = optimizer == OptimizerKind.Adam ? 0.01 : 0.1, Callbacks = [new MaskEnforcer(mask)] };
        new Trainer(options).Fit(model, data);   // 30 steps, momentum 0.9 (Nesterov) or Adam, weight decay 0.01
        Assert.True(mask.IsAppliedTo(model));
        foreach (var name in mask.Names)
        {
            var w = SubnetFixtures.Values(model.get_parameter(name)!);
            var m = SubnetFixtures.Values(mask[name]);
            var w0 = before[name];
            for (int i = 0; i < w.Length; i++)
                if (m[i] == 0) Assert.Equal(0.0, w[i]);
            Assert.True(Enumerable.Range(0, w.Length).Count(i => m[i] == 1 && w[i] != w0[i]) > w.Length / 4, $"{name}: kept weights did not train");
        }
    }

    [Fact]
    public void WithoutTheEnforcerMomentumAndDecayReviveThePrunedWeights()
    {
        using var data = SubnetFixtures.SpiralData(100);
        using var model = SubnetFixtures.Spiral();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.6 }, seed: 2);
        mask.ApplyTo(model);
        new Trainer(SubnetFixtures.Quick).Fit(model, data);
        Assert.False(mask.IsAppliedTo(model));
    }

    [Fact]
    public void IterativePruningReachesTheTargetInEqualSteps()
    {
        using var model = SubnetFixtures.Small();
        using var input = randn(100, 10);
        using var targets = randint(0, 3, [100]);
        using var small = new EnsembleKit.Data.TensorDataset(input.clone(), targets.clone(), 3);
        using var pruning = new IterativePruning(model, new MaskOptions { Sparsity = 0.6 }, pruningEpochs: 3, seed: 1);
        var kept = new List<long[]>();
        var masks = new List<SubnetworkMask>();
        var recorder = new CallbackAfter(() => { kept.Add(pruning.Current.Layers.Select(l => l.Kept).ToArray()); masks.Add(pruning.Current.Clone()); });
        kept.Add(pruning.Current.Layers.Select(l => l.Kept).ToArray());
        masks.Add(pruning.Current.Clone());
        new Trainer(SubnetFixtures.Quick with { Epochs = 4, Callbacks = [pruning, recorder] }).Fit(model, small);
        // 70 weights: final 42 removed -> 14, 28, 42; 21 weights: round(12.6) = 13 -> round(4.33) = 4, round(8.67) = 9, 13
        Assert.Equal([70L - 14, 21 - 4], kept[0]);
        Assert.Equal([70L - 28, 21 - 9], kept[1]);
        Assert.Equal([70L - 42, 21 - 13], kept[2]);
        Assert.Equal(kept[2], kept[4]);
        // nested: what is removed stays removed
        for (int i = 1; i < masks.Count; i++)
            foreach (var name in masks[i].Names)
            {
                var prev = SubnetFixtures.Values(masks[i - 1][name]);
                var cur = SubnetFixtures.Values(masks[i][name]);
                Assert.All(Enumerable.Range(0, cur.Length), j => Assert.True(cur[j] <= prev[j]));
            }
        Assert.True(pruning.Current.IsAppliedTo(model));
        foreach (var m in masks) m.Dispose();
    }

    [Fact]
    public void IterativeMagnitudePruningRemovesTheSmallestCurrentWeights()
    {
        using var model = SubnetFixtures.Small();
        using var pruning = new IterativePruning(model, new MaskOptions { Sparsity = 0.5, Criterion = MaskCriterion.Magnitude }, pruningEpochs: 2, seed: 0);
        // first event: round(35 * 1/2) = 18 of the 70 smallest |w| removed
        var w = SubnetFixtures.Values(model.get_parameter("layers.0.weight")!);
        var m = SubnetFixtures.Values(pruning.Current["layers.0.weight"]);
        Assert.Equal(18, m.Count(v => v == 0));
        double largestRemoved = Enumerable.Range(0, 70).Where(i => m[i] == 0).Max(i => Math.Abs(w[i]));
        Assert.True(Enumerable.Range(0, 70).Where(i => m[i] == 1).All(i => Math.Abs(w[i]) >= largestRemoved));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IterativePruning(model, new MaskOptions(), 0, 0));
    }

    sealed class CallbackAfter(Action action) : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context) => action();
    }
}
