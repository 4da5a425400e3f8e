using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class PrunedChildrenTests
{
    static readonly TrainingOptions Tuning = new() { Epochs = 2, BatchSize = 50, LearningRate = 0.01, Momentum = 0.9, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None };
    static readonly MaskOptions Half = new() { Sparsity = 0.5 };
    static Mlp Create() => new([(784, 32), (32, 10)]);

    static Mlp Parent(TensorDataset train)
    {
        using var ensemble = DeepEnsemble.Train(Create, train, Tuning with { Epochs = 1, LearningRate = 0.05 }, count: 1, seed: 1);
        return ModelState.Clone((Mlp)ensemble.Members[0], Create);
    }

    static double MaxDifference(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters(), (p, q) => (double)(p - q).abs().max().item<float>()).Max();

    [Fact]
    public void ChildrenAreThoseOfTheRecipeWrittenOut()
    {
        // Notebook 20's cell before the recipe moved into the library, step by step.
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var parent = Parent(train);
        var pruned = new List<Mlp>();
        var tuned = new List<Mlp>();
        for (int c = 0; c < 2; c++)
        {
            var prunedChild = ModelState.Clone(parent, Create);
            using var mask = SubnetworkMask.Sample(prunedChild, Half, seed: c);
            mask.ApplyTo(prunedChild);
            pruned.Add(prunedChild);
            var tunedChild = ModelState.Clone(parent, Create);
            using var result = SubnetworkTuning.Tune(tunedChild, mask, train, Tuning with { Label = $"child {c + 1} tuning", Seed = c },
                new SubnetworkTuningOptions { Method = PruningMethod.OneShot }, seed: c);
            tuned.Add(tunedChild);
        }

        var children = PrunedChildren.Make(parent, Create, train, count: 2, Half, Tuning);

        Assert.Equal(2, children.Count);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(0.0, MaxDifference(pruned[c], children[c].Pruned));
            Assert.Equal(0.0, MaxDifference(tuned[c], children[c].Tuned));
            Assert.Equal(Tuning.Epochs, children[c].Tuning.Epochs.Count);
            Assert.Equal($"child {c + 1} tuning", children[c].Tuning.Label);
        }
        foreach (var model in pruned.Concat(tuned)) model.Dispose();
        foreach (var child in children) child.Dispose();
    }

    [Fact]
    public void PrunedChildIsTheParentMaskedAndTuningKeepsTheMaskAndLeavesTheParent()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var parent = Parent(train);
        using var before = parent.Layers[0].weight!.detach().clone();
        var children = PrunedChildren.Make(parent, Create, train, count: 2, Half, Tuning);

        for (int c = 0; c < 2; c++)
        {
            using var parentWeight = parent.Layers[0].weight!.detach();
            using var prunedWeight = children[c].Pruned.Layers[0].weight!.detach();
            using var tunedWeight = children[c].Tuned.Layers[0].weight!.detach();
            using var kept = prunedWeight.ne(0);
            // half of the 784 x 32 first-layer weights removed (exact count), the rest the parent's
            Assert.Equal(784 * 32 / 2, kept.sum().item<long>());
            Assert.True(prunedWeight.equal(parentWeight.mul(kept)).all().item<bool>());
            // tuning moved the kept weights and held the removed ones at zero
            using var removedTuned = tunedWeight.masked_select(kept.logical_not());
            Assert.Equal(0f, removedTuned.abs().max().item<float>());
            Assert.True(MaxDifference(children[c].Tuned, children[c].Pruned) > 1e-4, "tuning should change the kept weights");
            // biases are not masked
            Assert.True(children[c].Pruned.Layers[0].bias!.equal(parent.Layers[0].bias!).all().item<bool>());
        }
        using var kept0 = children[0].Pruned.Layers[0].weight!.ne(0);
        using var kept1 = children[1].Pruned.Layers[0].weight!.ne(0);
        Assert.False(kept0.equal(kept1).all().item<bool>(), "children 1 and 2 draw their masks with seeds 0 and 1");
        Assert.True(parent.Layers[0].weight!.equal(before).all().item<bool>(), "the parent must be left as it is");
        foreach (var child in children) child.Dispose();
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 50);
        using var parent = Create();
        Assert.Throws<ArgumentOutOfRangeException>(() => PrunedChildren.Make(parent, Create, train, count: 0, Half, Tuning));
        Assert.ThrowsAny<ArgumentException>(() => PrunedChildren.Make(parent, Create, train, 1, new MaskOptions { Sparsity = 1.5 }, Tuning));
        Assert.Throws<ArgumentNullException>(() => PrunedChildren.Make(parent, Create, null!, 1, Half, Tuning));
        Assert.Throws<ArgumentException>(() => PrunedChildren.Make(parent, () => parent, train, 1, Half, Tuning));
    }
}
