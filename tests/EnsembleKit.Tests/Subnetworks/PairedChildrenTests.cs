using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class PairedChildrenTests
{
    static readonly TrainingOptions Tuning = new() { Epochs = 1, BatchSize = 50, LearningRate = 0.05, Progress = ProgressSinks.None };

    static Mlp Parent(TensorDataset train)
    {
        using var ensemble = DeepEnsemble.Train(() => new Mlp([(784, 32), (32, 10)]), train, Tuning, count: 1, seed: 1);
        var parent = new Mlp([(784, 32), (32, 10)]);
        var state = ModelState.Copy(ensemble.Members[0]);
        ModelState.Load(parent, state);
        ModelState.Dispose(state);
        return parent;
    }

    static double MaxDifference(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters(), (p, q) => (double)(p - q).abs().max().item<float>()).Max();

    /// <summary>The recipe written out step by step, as notebook 12 had it in a cell: the library must give the same children.</summary>
    static List<Mlp> ByHand(Mlp parent, TensorDataset train, int pairs, bool partitioned, bool bagged, long seed)
    {
        var parentWeights = WeightSnapshot.Of(parent, "parent");
        var children = new List<Mlp>();
        for (int pair = 0; pair < pairs; pair++)
        {
            var masks = partitioned
                ? NeuralPartitioning.Partition(parent, 2, seed + pair)
                : [SubnetworkMask.Sample(parent, new MaskOptions { Sparsity = 0.5 }, seed + 2 * pair), SubnetworkMask.Sample(parent, new MaskOptions { Sparsity = 0.5 }, seed + 2 * pair + 1)];
            for (int k = 0; k < 2; k++)
            {
                long childSeed = seed + 10 * pair + k;
                var child = parentWeights.ToModel(() => new Mlp([(784, 32), (32, 10)]));
                var data = bagged ? train.Subset(Bagging.SampleIndices(train.Count, 0.9, withReplacement: true, childSeed), "bootstrap") : train;
                using var result = SubnetworkTuning.Tune(child, masks[k], data, Tuning with { Seed = childSeed }, new SubnetworkTuningOptions(), childSeed);
                children.Add(child);
            }
            foreach (var m in masks) m.Dispose();
        }
        parentWeights.Dispose();
        return children;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void ChildrenAreThoseOfTheRecipeWrittenOut(bool partitioned, bool bagged)
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var parent = Parent(train);
        var expected = ByHand(parent, train, pairs: 2, partitioned, bagged, seed: 7);
        var children = PairedChildren.Tune(parent, () => new Mlp([(784, 32), (32, 10)]), train, pairs: 2, partitioned, bagged, Tuning, seed: 7);
        Assert.Equal(4, children.Count);
        for (int i = 0; i < 4; i++) Assert.Equal(0.0, MaxDifference(expected[i], children[i]));
        foreach (var m in expected.Concat(children)) m.Dispose();
    }

    [Fact]
    public void PartitionedSiblingsKeepComplementaryWeightsAndBaggingChangesThem()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var parent = Parent(train);
        var before = parent.Layers[0].weight!.detach().clone();
        var plain = PairedChildren.Tune(parent, () => new Mlp([(784, 32), (32, 10)]), train, pairs: 1, partitioned: true, bagged: false, Tuning, seed: 3);
        var bagged = PairedChildren.Tune(parent, () => new Mlp([(784, 32), (32, 10)]), train, pairs: 1, partitioned: true, bagged: true, Tuning, seed: 3);
        // the two halves of one partition: no first-layer weight is kept by both siblings, each keeps some
        using var kept0 = plain[0].Layers[0].weight!.ne(0);
        using var kept1 = plain[1].Layers[0].weight!.ne(0);
        Assert.False(kept0.logical_and(kept1).any().item<bool>());
        Assert.True(kept0.any().item<bool>() && kept1.any().item<bool>());
        Assert.True(MaxDifference(plain[0], bagged[0]) > 1e-4, "a bootstrap sample should change the tuned child");
        Assert.True(parent.Layers[0].weight!.equal(before).all().item<bool>(), "the parent must be left as it is");
        foreach (var m in plain.Concat(bagged)) m.Dispose();
        before.Dispose();
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 50);
        using var parent = new Mlp([(784, 8), (8, 10)]);
        Func<Mlp> create = () => new Mlp([(784, 8), (8, 10)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedChildren.Tune(parent, create, train, pairs: 0, true, false, Tuning, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedChildren.Tune(parent, create, train, 1, false, false, Tuning, 0, sparsity: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedChildren.Tune(parent, create, train, 1, true, true, Tuning, 0, bagFraction: 0));
    }
}
