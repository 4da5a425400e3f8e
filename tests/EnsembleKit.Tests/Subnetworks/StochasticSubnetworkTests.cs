using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class StochasticSubnetworkTests
{
    [Fact]
    public void AnnealingFunctionsMatchTheDissertationsFormulas()
    {
        var lin = new AnnealingSchedule(4, AnnealingShape.Linear);
        var cos = new AnnealingSchedule(4, AnnealingShape.Cosine);
        var exp = new AnnealingSchedule(4, AnnealingShape.Exponential, ExponentialRate: 5);
        Assert.Equal(1.0, lin.Remaining(0));
        Assert.Equal(0.75, lin.Remaining(1), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI / 4)), cos.Remaining(1), 12);   // 0.8536
        Assert.Equal(0.5, cos.Remaining(2), 12);
        Assert.Equal(Math.Exp(-2.5), exp.Remaining(2), 12);
        Assert.All(new[] { lin, cos, exp }, s => Assert.Equal(0.0, s.Remaining(4)));
        Assert.Equal(0.0, new AnnealingSchedule(0).Remaining(0));
        // y_lin(t) = tau_max - (tau_max - tau_min) t / T with tau 0.8 -> 0.2
        Assert.Equal(0.8 - 0.6 * 0.25, lin.Value(1, 0.8, 0.2), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnnealingSchedule(-1).Remaining(0));
    }

    [Fact]
    public void TemperatureProbabilitiesKeepTheTargetAndAnnealTheRest()
    {
        using var model = SubnetFixtures.Small();
        using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 1);
        using var plan = StochasticMask.Temperature(target, 0.4, new AnnealingSchedule(2));
        using var symmetric = StochasticMask.Temperature(target, 0.4, new AnnealingSchedule(2), symmetric: true);
        var m = SubnetFixtures.Values(target["layers.0.weight"]);
        using var p0 = plan.Probabilities("layers.0.weight", 0);
        using var p1 = plan.Probabilities("layers.0.weight", 1);   // tau = 0.4 * 0.5
        using var p2 = plan.Probabilities("layers.0.weight", 2);
        using var s0 = symmetric.Probabilities("layers.0.weight", 0);
        var (v0, v1, v2, sv) = (SubnetFixtures.Values(p0), SubnetFixtures.Values(p1), SubnetFixtures.Values(p2), SubnetFixtures.Values(s0));
        for (int i = 0; i < m.Length; i++)
        {
            Assert.Equal(m[i] == 1 ? 1.0 : 0.4, v0[i], 1e-6);
            Assert.Equal(m[i] == 1 ? 1.0 : 0.2, v1[i], 1e-6);
            Assert.Equal(m[i], v2[i]);
            Assert.Equal(m[i] == 1 ? 0.6 : 0.4, sv[i], 1e-6);
        }
        Assert.False(plan.IsDeterministicAt(1.99));
        Assert.True(plan.IsDeterministicAt(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StochasticMask.Temperature(target, 1.5, new AnnealingSchedule(2)));
    }

    [Fact]
    public void RandomAnnealingSendsTheLowestProbabilitiesToZero()
    {
        using var model = SubnetFixtures.Small();
        using var plan = StochasticMask.Random(model, new MaskOptions { Sparsity = 0.3 }, new AnnealingSchedule(4, AnnealingShape.Linear), seed: 2);
        Assert.Equal([70L - 21, 21 - 6], plan.Target.Layers.Select(l => l.Kept));   // exact count rule
        foreach (var name in plan.Target.Names)
        {
            var m = SubnetFixtures.Values(plan.Target[name]);
            using var start = plan.Probabilities(name, 0);
            using var half = plan.Probabilities(name, 2);
            var (p0, ph) = (SubnetFixtures.Values(start), SubnetFixtures.Values(half));
            Assert.All(p0, v => Assert.InRange(v, 0, 1));
            double maxRemoved = Enumerable.Range(0, m.Length).Where(i => m[i] == 0).Max(i => p0[i]);
            Assert.All(Enumerable.Range(0, m.Length).Where(i => m[i] == 1), i => Assert.True(p0[i] >= maxRemoved));
            for (int i = 0; i < m.Length; i++) Assert.Equal((p0[i] + m[i]) / 2, ph[i], 1e-6);   // linear, halfway
        }
        using var sibling = plan.Complement();
        using var p = plan.Probabilities("layers.0.weight", 0);
        using var q = sibling.Probabilities("layers.0.weight", 0);
        var (pv, qv) = (SubnetFixtures.Values(p), SubnetFixtures.Values(q));
        for (int i = 0; i < pv.Length; i++) Assert.Equal(1 - pv[i], qv[i], 1e-6);   // P' = 1 - P
        Assert.Equal(1.0, MaskDistance.Hamming(plan.Target, sibling.Target));
        Assert.Throws<ArgumentException>(() => StochasticMask.Random(model, new MaskOptions { Criterion = MaskCriterion.Magnitude }, new AnnealingSchedule(2), 0));
    }

    [Fact]
    public void RandomAnnealingTowardsAGivenTargetDrawsConsistentStartProbabilities()
    {
        using var model = SubnetFixtures.Small();
        using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 3);
        using var plan = StochasticMask.Random(target, new AnnealingSchedule(3), seed: 4);
        foreach (var count in target.Layers)
        {
            var m = SubnetFixtures.Values(target[count.Name]);
            using var start = plan.Probabilities(count.Name, 0);
            var p0 = SubnetFixtures.Values(start);
            for (int i = 0; i < m.Length; i++)
                if (m[i] == 1) Assert.InRange(p0[i], count.Sparsity, 1);
                else Assert.InRange(p0[i], 0, count.Sparsity);
        }
    }

    static TrainingContext Context(nn.Module model, int epoch = 0) => new(model, epoch, 1, new TrainingHistory("test"));

    [Fact]
    public void MasksDifferAcrossTrainingPassesAndAreFixedAfterAnnealing()
    {
        using var model = SubnetFixtures.Spiral();
        using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 1);
        using var plan = StochasticMask.Temperature(target, 0.5, new AnnealingSchedule(2));
        var dense = model.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList();
        using var wrapper = new StochasticSubnetwork(model, plan, seed: 7);
        using var x = randn(64, 2);
        wrapper.train();
        var outputs = new List<double[]>();
        for (int pass = 0; pass < 3; pass++)
        {
            using (var y = wrapper.forward(x)) outputs.Add(SubnetFixtures.Values(y));
            wrapper.OnBeforeStep(Context(wrapper));   // restores the dense weights
            Assert.Equal(dense, model.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList());
        }
        Assert.NotEqual(outputs[0], outputs[1]);
        Assert.NotEqual(outputs[1], outputs[2]);

        // eval mode uses the target W∘M and leaves the dense weights in place
        wrapper.eval();
        using var evalOut = wrapper.forward(x);
        using (var pruned = SubnetFixtures.Spiral(3))
        {
            using (var snap = WeightSnapshot.Of(model, "dense")) snap.LoadInto(pruned);
            target.ApplyTo(pruned);
            using var expected = pruned.forward(x);
            Assert.True(evalOut.allclose(expected, rtol: 0, atol: 0));
        }
        Assert.Equal(dense, model.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList());

        // forward twice without the optimiser step is a usage error, and leaves the weights intact
        wrapper.train();
        using (var y = wrapper.forward(x)) { }
        Assert.Throws<InvalidOperationException>(() => wrapper.forward(x));
        Assert.Equal(dense, model.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList());

        // after annealing: pruned to the target, deterministic
        wrapper.OnEpochEnd(Context(wrapper, epoch: 1));   // time 2 = the annealing length
        Assert.True(wrapper.IsAnnealed);
        Assert.True(target.IsAppliedTo(model));
        using var a = wrapper.forward(x);
        wrapper.OnBeforeStep(Context(wrapper));
        using var b = wrapper.forward(x);
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.True(evalOut.allclose(a, rtol: 0, atol: 0));
    }

    [Fact]
    public void OnlyTheWeightsActiveInAPassReceiveGradient()
    {
        // tau0 = 0 keeps P = M while annealing: the removed weights are never active. With plain SGD the kept weights must
        // then follow exactly the trajectory of one-shot pruning, and the removed ones keep their dense values.
        using var data = SubnetFixtures.SpiralData(50);
        var plain = SubnetFixtures.Quick with { Momentum = 0, WeightDecay = 0, Nesterov = false };
        using var model = SubnetFixtures.Spiral();
        using var oneShot = SubnetFixtures.Spiral();
        using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 1);
        using var plan = StochasticMask.Temperature(target, 0.0, new AnnealingSchedule(10));
        var before = SubnetFixtures.Values(model.get_parameter("layers.1.weight")!);
        using (var wrapper = new StochasticSubnetwork(model, plan, seed: 1))
            new Trainer(plain with { Callbacks = [wrapper] }).Fit(wrapper, data);
        target.ApplyTo(oneShot);
        new Trainer(plain with { Callbacks = [new MaskEnforcer(target)] }).Fit(oneShot, data);

        var after = SubnetFixtures.Values(model.get_parameter("layers.1.weight")!);
        var reference = SubnetFixtures.Values(oneShot.get_parameter("layers.1.weight")!);
        var m = SubnetFixtures.Values(target["layers.1.weight"]);
        for (int i = 0; i < m.Length; i++) Assert.Equal(m[i] == 1 ? reference[i] : before[i], after[i], 1e-6);
        Assert.True(Enumerable.Range(0, m.Length).Count(i => m[i] == 1 && after[i] != before[i]) > 0);
    }

    [Fact]
    public void PerStepAnnealingAdvancesTheClockEveryStep()
    {
        using var model = SubnetFixtures.Small();
        using var target = SubnetworkMask.Sample(model, new MaskOptions(), seed: 1);
        using var plan = StochasticMask.Temperature(target, 0.5, new AnnealingSchedule(1, PerStep: true));
        using var wrapper = new StochasticSubnetwork(model, plan, seed: 0);
        var history = new TrainingHistory("t");
        wrapper.OnStepEnd(new TrainingContext(wrapper, 0, 2, history) { Step = 1, StepsPerEpoch = 4 });
        Assert.Equal(0.5, wrapper.Time);
        Assert.False(wrapper.IsAnnealed);
        wrapper.OnStepEnd(new TrainingContext(wrapper, 0, 2, history) { Step = 3, StepsPerEpoch = 4 });
        Assert.True(wrapper.IsAnnealed);
        Assert.True(target.IsAppliedTo(model));
    }

    sealed class CountLiveTensors : ITrainingCallback
    {
        public List<long> Counts { get; } = [];
        public void OnEpochEnd(TrainingContext context) => Counts.Add(Tensor.TotalCount);
    }

    [Fact]
    public void AnnealingWithTheTrainerEndsPrunedAndDoesNotLeak()
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var model = SubnetFixtures.Spiral();
        using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.7 }, seed: 1);
        using var plan = StochasticMask.Temperature(target, 0.5, new AnnealingSchedule(10));
        var counter = new CountLiveTensors();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var result = SubnetworkTuning.Tune(model, plan, data, SubnetFixtures.Quick with { Epochs = 5, Callbacks = [counter] }, seed: 2);
        using var mask = result.Mask;
        Assert.All(counter.Counts.Skip(1), c => Assert.Equal(counter.Counts[0], c));
        // training stopped before the annealing ended: the model is pruned to the target at the end
        Assert.True(target.IsAppliedTo(model));
        Assert.Equal(SubnetworkReport.Measure(model, "m").NonZeroWeights, target.Kept);
        Assert.Throws<ArgumentException>(() => SubnetworkTuning.Tune(model, plan, data, SubnetFixtures.Quick with { CheckpointPath = "x" }, 0));
    }

    [Theory]
    [InlineData(PruningMethod.OneShot)]
    [InlineData(PruningMethod.Iterative)]
    [InlineData(PruningMethod.RandomAnnealing)]
    [InlineData(PruningMethod.TemperatureAnnealing)]
    public void EveryPruningMethodEndsAtTheTargetSparsityAndRepeatsWithTheSeed(PruningMethod method)
    {
        using var data = SubnetFixtures.SpiralData(50);
        var weights = new List<double[]>();
        for (int run = 0; run < 2; run++)
        {
            using var model = SubnetFixtures.Spiral();
            var tuning = new SubnetworkTuningOptions { Method = method, Epochs = 2 };
            using var result = SubnetworkTuning.Tune(model, data, SubnetFixtures.Quick with { Epochs = 3 }, new MaskOptions { Sparsity = 0.9 }, tuning, seed: 5);
            Assert.Equal(3, result.History.Epochs.Count);
            // 32, 256, 32 weights: 29, 230, 29 removed (round(28.8), round(230.4))
            Assert.Equal([3L, 26L, 3L], result.Mask.Layers.Select(l => l.Kept));
            Assert.True(result.Mask.IsAppliedTo(model));
            Assert.Equal(32, SubnetworkReport.Measure(model, "m").NonZeroWeights);
            weights.Add(model.named_parameters().SelectMany(np => SubnetFixtures.Values(np.parameter)).ToArray());
        }
        Assert.Equal(weights[0], weights[1]);
    }
}
