using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using EnsembleKit.Training.Lockstep;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary>
/// Subnetwork children tuned together (<see cref="SubnetworkEnsemble{TModel}.Tune"/> with <c>lockstep: true</c>): each
/// child ends as it would tuned alone with its mask enforced (to float tolerance), its removed weights exactly zero.
/// </summary>
public class LockstepTuningTests
{
    static SubnetworkEnsemble<Mlp> SparseChildren(TensorDataset data, Mlp parent) => SparseSubnetworkEnsemble.Train(parent, () => SubnetFixtures.Spiral(8), data, new SparseSubnetworkOptions
    {
        Children = 3,
        Sampling = SubnetworkSampling.Random,
        Mask = new MaskOptions { Sparsity = 0.7 },
        Tuning = SubnetFixtures.Quick with { Epochs = 1 },
        Seed = 3,
    });

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // one child a thread
    public void SparseChildrenTunedInLockstepMatchThemTunedOneByOne(int workers)
    {
        using var data = SubnetFixtures.SpiralData(50);
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick).Fit(parent, data);
        using var alone = SparseChildren(data, parent);
        using var together = SparseChildren(data, parent);
        var tuning = SubnetFixtures.Quick with { Epochs = 3, Seed = 40 };
        var aloneHistories = alone.Tune(data, tuning);
        var togetherHistories = together.Tune(data, tuning, lockstep: true, lockstepWorkers: workers);
        Assert.Equal(3, togetherHistories.Count);
        for (int c = 0; c < 3; c++)
        {
            Assert.True(together.Masks[c].IsAppliedTo(together.Children[c]), $"child {c}: a removed weight is not zero");
            foreach (var (name, p) in alone.Children[c].named_parameters())
            {
                var expected = SubnetFixtures.Values(p);
                var actual = SubnetFixtures.Values(together.Children[c].get_parameter(name)!);
                double diff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(diff <= 1e-4, $"child {c}, {name}: max |Δw| = {diff:E2}");
            }
            Assert.Equal(aloneHistories[c].Epochs.Select(e => e.Loss), togetherHistories[c].Epochs.Select(e => e.Loss), (a, b) => Math.Abs(a - b) <= 1e-4);
        }
        // the children did move: the tuning changed them
        Assert.True(SubnetFixtures.Values(together.Children[0].parameters().First()).Zip(SubnetFixtures.Values(alone.Children[1].parameters().First()), (a, b) => Math.Abs(a - b)).Max() > 1e-3);
    }

    [Fact]
    public void ACheckpointRecordsWhatEachMasksKeeps()
    {
        using var data = SubnetFixtures.SpiralData(20);
        using var temp = new TempFolder();
        var options = SubnetFixtures.Quick with { Epochs = 1, CheckpointPath = System.IO.Path.Combine(temp.Path, "children") };
        List<nn.Module<Tensor, Tensor>> Members() => Enumerable.Range(0, 2).Select(s => (nn.Module<Tensor, Tensor>)SubnetFixtures.Spiral(s)).ToList();
        using var half = ones(16, 2);
        half[.., 0] = zeros(16);
        using var all = ones(16, 2);
        var first = Members();
        new LockstepTrainer(options).Fit(first, data, memberMasks: [null, new Dictionary<string, Tensor> { ["layers.0.weight"] = half }]);
        Assert.Contains("member masks: member 1: 32 of 32 kept; member 2: 16 of 32 kept", File.ReadAllText(options.CheckpointPath!));
        var second = Members();
        var e = Assert.Throws<CheckpointMismatchException>(() =>
            new LockstepTrainer(options with { Epochs = 2 }).Fit(second, data, memberMasks: [null, new Dictionary<string, Tensor> { ["layers.0.weight"] = all }]));
        Assert.Contains(e.Differences, d => d.StartsWith("member masks:", StringComparison.Ordinal));
        foreach (var member in first.Concat(second)) member.Dispose();
    }

    [Fact]
    public void MasksThatDoNotFitTheMembersAreRefused()
    {
        using var data = SubnetFixtures.SpiralData(20);
        var members = Enumerable.Range(0, 2).Select(s => (nn.Module<Tensor, Tensor>)SubnetFixtures.Spiral(s)).ToList();
        var trainer = new LockstepTrainer(SubnetFixtures.Quick);
        using var wrongShape = ones(3, 3);
        var shape = Assert.Throws<ArgumentException>(() => trainer.Fit(members, data, memberMasks: [null, new Dictionary<string, Tensor> { ["layers.0.weight"] = wrongShape }]));
        Assert.Contains("member 2's mask 'layers.0.weight' is [3, 3] but the parameter is [16, 2]", shape.Message);
        using var some = ones(16, 2);
        var name = Assert.Throws<ArgumentException>(() => trainer.Fit(members, data, memberMasks: [new Dictionary<string, Tensor> { ["conv9.weight"] = some }, null]));
        Assert.Contains("member 1's mask names 'conv9.weight'", name.Message);
        var count = Assert.Throws<ArgumentException>(() => trainer.Fit(members, data, memberMasks: [null]));
        Assert.Contains("2 members, 1 masks", count.Message);
        foreach (var member in members) member.Dispose();
    }
}
