using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class SparseSubnetworkEnsembleTests
{
    static SparseSubnetworkOptions Options(SubnetworkSampling sampling, int children = 2) => new()
    {
        Children = children,
        Sampling = sampling,
        Tuning = SubnetFixtures.Quick with { Schedule = new CosineOneCycleSchedule() },
        Seed = 3,
    };

    [Fact]
    public void NeuralPartitioningChildrenInheritDisjointWeights()
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick).Fit(parent, data);
        var parentWeights = parent.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList();
        using var ensemble = SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(8), data, Options(SubnetworkSampling.NeuralPartitioning));
        Assert.Equal(2, ensemble.Count);
        Assert.Equal(2, ensemble.Histories.Count);
        Assert.Equal(1.0, MaskDistance.Hamming(ensemble.Masks[0], ensemble.Masks[1]));
        // after tuning with momentum and weight decay, each weight is nonzero in at most one child
        foreach (var name in ensemble.Masks[0].Names)
        {
            var a = SubnetFixtures.Values(ensemble.Children[0].get_parameter(name)!);
            var b = SubnetFixtures.Values(ensemble.Children[1].get_parameter(name)!);
            Assert.All(Enumerable.Range(0, a.Length), i => Assert.True(a[i] == 0 || b[i] == 0));
        }
        var report = ensemble.Report(parent);
        Assert.All(report.Children, c => Assert.Equal(0.5, c.WeightSparsity, 12));   // 160 of 320 weights each
        Assert.Equal(report.Parent!.NonZeroWeights, report.Children.Sum(c => c.NonZeroWeights));
        // the parent is untouched
        Assert.Equal(parentWeights, parent.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList());
        using var logits = ensemble.MemberLogits(data, parent);
        Assert.Equal(new long[] { 3, 100, 2 }, logits.shape);
    }

    [Fact]
    public void RandomChildrenHaveTheRequestedSparsityAndDiffer()
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var parent = SubnetFixtures.Spiral();
        var options = Options(SubnetworkSampling.Random) with { Mask = new MaskOptions { Sparsity = 0.7 } };
        using var ensemble = SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(8), data, options);
        // 32, 256, 32 weights lose round(22.4) = 22, round(179.2) = 179, 22
        Assert.All(ensemble.Masks, m => Assert.Equal([10L, 77L, 10L], m.Layers.Select(l => l.Kept)));
        Assert.All(ensemble.Report().Children, c => Assert.Equal(97, c.NonZeroWeights));
        Assert.True(MaskDistance.Hamming(ensemble.Masks[0], ensemble.Masks[1]) > 0);
        Assert.All(Enumerable.Range(0, 2), i => Assert.True(ensemble.Masks[i].IsAppliedTo(ensemble.Children[i])));

        // further tuning keeps the masks
        ensemble.Tune(data, SubnetFixtures.Quick with { Epochs = 1 });
        Assert.Equal(4, ensemble.Histories.Count);
        Assert.All(Enumerable.Range(0, 2), i => Assert.True(ensemble.Masks[i].IsAppliedTo(ensemble.Children[i])));
    }

    [Fact]
    public void StochasticEnsembleIsRepeatableAndEndsPruned()
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var parent = SubnetFixtures.Spiral();
        var options = Options(SubnetworkSampling.NeuralPartitioning) with
        {
            Tuning = SubnetFixtures.Quick with { Epochs = 3 },
            Method = new SubnetworkTuningOptions { Method = PruningMethod.RandomAnnealing, Epochs = 2 },
        };
        var runs = new List<List<double[]>>();
        for (int run = 0; run < 2; run++)
        {
            using var ensemble = StochasticSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(8), data, options);
            Assert.All(Enumerable.Range(0, 2), i => Assert.True(ensemble.Masks[i].IsAppliedTo(ensemble.Children[i])));
            Assert.Equal(1.0, MaskDistance.Hamming(ensemble.Masks[0], ensemble.Masks[1]));
            runs.Add(ensemble.Children.SelectMany(c => c.named_parameters().Select(np => SubnetFixtures.Values(np.parameter))).ToList());
        }
        Assert.Equal(runs[0], runs[1]);
        Assert.Equal(PruningMethod.TemperatureAnnealing, StochasticSubnetworkEnsemble.WithAnnealing(new SparseSubnetworkOptions()).Method.Method);
    }

    [Fact]
    public void BadOptionsGiveClearErrors()
    {
        using var data = SubnetFixtures.SpiralData(10);
        using var parent = SubnetFixtures.Spiral();
        var np = Options(SubnetworkSampling.NeuralPartitioning, children: 3);
        var e = Assert.Throws<ArgumentException>(() => SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(), data, np));
        Assert.Contains("multiple", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(), data, np with { Partitions = 1 }));
        Assert.Throws<ArgumentException>(() => SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(), data,
            Options(SubnetworkSampling.Random) with { Mask = new MaskOptions { Criterion = MaskCriterion.Magnitude } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(), data,
            Options(SubnetworkSampling.Random) with { Mask = new MaskOptions { Sparsity = 1 } }));
        Assert.Throws<ArgumentException>(() => SparseSubnetworkEnsemble.Train(parent, () => parent, data, Options(SubnetworkSampling.Random)));
        using var other = new EnsembleKit.Models.Mlp([(2, 8), (8, 2)]);
        Assert.Throws<ArgumentException>(() => SparseSubnetworkEnsemble.Train(parent, () => new EnsembleKit.Models.Mlp([(2, 8), (8, 2)]), data, Options(SubnetworkSampling.Random)));
    }
}
