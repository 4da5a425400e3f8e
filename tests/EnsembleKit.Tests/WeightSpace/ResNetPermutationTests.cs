using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class ResNetPermutationTests
{
    /// <summary>A small projection-shortcut ResNet whose batch norms hold non-trivial running statistics.</summary>
    static ResNet TrainedLookingResNet(int seed)
    {
        manual_seed(seed);
        var model = new ResNet([4, 8], [1, 2], ResNetShortcut.Projection, classCount: 3, imageSize: 8);
        model.train();
        using (no_grad())
            for (int i = 0; i < 3; i++) { using var x = randn(6, 3, 8, 8) * 2 + 0.5; using var _ = model.forward(x); }
        model.eval();
        return model;
    }

    static ResNet Shuffled(ResNet model, PermutationSpec spec, int seed, out Dictionary<string, int[]> perms)
    {
        var state = ModelState.Copy(model);
        var sizes = spec.GroupSizes(state);
        perms = spec.Groups.Select((group, i) => (group, PermutationTests.RandomPermutation(sizes[group], seed + i))).ToDictionary(p => p.group, p => p.Item2);
        var permuted = Permutations.Apply(spec, state, perms);
        var copy = new ResNet(model.Widths, model.BlocksPerStage, model.Shortcut, model.ClassCount, model.InChannels, model.ImageSize);
        ModelState.Load(copy, permuted);
        copy.eval();
        ModelState.Dispose(state);
        ModelState.Dispose(permuted);
        return copy;
    }

    [Fact]
    public void SpecNamesEveryWeightAndGroupsStreamsByStage()
    {
        var model = TrainedLookingResNet(0);
        var spec = PermutationSpec.ForResNet(model);
        Assert.Equal(["B_0_0", "B_1_0", "B_1_1", "S_0", "S_1"], spec.Groups);
        Assert.Equal(new string?[] { "S_1", "S_0", null, null }, spec.Axes["stages.1.blocks.0.shortcut.conv.weight"]);
        Assert.Equal(new string?[] { "S_1", "B_1_1", null, null }, spec.Axes["stages.1.blocks.1.conv2.weight"]);
        Assert.Equal(new string?[] { null, "S_1" }, spec.Axes["classifier.weight"]);
        var state = ModelState.Copy(model);
        var sizes = spec.GroupSizes(state);
        Assert.Equal(4, sizes["S_0"]);
        Assert.Equal(8, sizes["B_1_1"]);
        // every weight of the model is covered (only the batch counters are not)
        Assert.DoesNotContain(state.Keys, k => !k.EndsWith("num_batches_tracked") && !spec.Axes.ContainsKey(k));
        ModelState.Dispose(state);
    }

    [Fact]
    public void PermutingChannelsKeepsTheFunction()
    {
        var model = TrainedLookingResNet(1);
        var spec = PermutationSpec.ForResNet(model);
        var shuffled = Shuffled(model, spec, 5, out _);
        using var x = randn(5, 3, 8, 8);
        using var a = model.forward(x);
        using var b = shuffled.forward(x);
        Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-5));
        Assert.False(model.parameters().First().allclose(shuffled.parameters().First()));
    }

    [Fact]
    public void WeightMatchingRecoversAShuffledResNetExactly()
    {
        var model = TrainedLookingResNet(2);
        var spec = PermutationSpec.ForResNet(model);
        var shuffled = Shuffled(model, spec, 9, out _);
        var a = ModelState.Copy(model);
        var b = ModelState.Copy(shuffled);
        var result = WeightMatching.Align(spec, a, b);
        var aligned = Permutations.Apply(spec, b, result.Permutations);
        foreach (var name in spec.Axes.Keys) Assert.True(a[name].allclose(aligned[name], rtol: 0, atol: 0), name);
        foreach (var s in new[] { a, b, aligned }) ModelState.Dispose(s);
    }

    [Fact]
    public void ZeroPaddingShortcutsAreRefusedWithAReason()
    {
        var e = Assert.Throws<NotSupportedException>(() => PermutationSpec.ForResNet(ResNet.Cifar(20)));
        Assert.Contains("Projection", e.Message);
    }
}
