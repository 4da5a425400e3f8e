using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class PermutationTests
{
    internal static int[] RandomPermutation(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
    }

    /// <summary>A copy of <paramref name="model"/> with its hidden units shuffled: the same function, different weights.</summary>
    internal static (Mlp Model, Dictionary<string, int[]> Perms) Shuffled(Mlp model, int seed)
    {
        var spec = PermutationSpec.ForMlp(model);
        var perms = new Dictionary<string, int[]>();
        for (int l = 0; l < model.Spec.Count - 1; l++) perms[PermutationSpec.HiddenGroup(l)] = RandomPermutation(model.Spec[l].Out, seed + l);
        var state = ModelState.Copy(model);
        var permuted = Permutations.Apply(spec, state, perms);
        var copy = model.CloneArchitecture();
        ModelState.Load(copy, permuted);
        ModelState.Dispose(state);
        ModelState.Dispose(permuted);
        return (copy, perms);
    }

    [Fact]
    public void MlpSpecListsEveryLayerAndItsGroups()
    {
        var spec = PermutationSpec.ForMlp(new Mlp([(6, 5), (5, 4), (4, 3)]));
        Assert.Equal(new[] { "P_0", "P_1" }, spec.Groups);
        Assert.Equal(new string?[] { "P_0", null }, spec.Axes["layers.0.weight"]);
        Assert.Equal(new string?[] { "P_1", "P_0" }, spec.Axes["layers.1.weight"]);
        Assert.Equal(new string?[] { null, "P_1" }, spec.Axes["layers.2.weight"]);
        Assert.Equal(new[] { ("layers.0.weight", 0), ("layers.0.bias", 0), ("layers.1.weight", 1) }, spec.AxesOf("P_0"));
        Assert.Throws<ArgumentException>(() => PermutationSpec.ForMlp(new Mlp([(6, 3)])));
    }

    [Fact]
    public void PermutingHiddenUnitsKeepsTheFunction()
    {
        manual_seed(2);
        var model = new Mlp([(6, 5), (5, 4), (4, 3)]);
        var (shuffled, _) = Shuffled(model, 7);
        using var x = randn(10, 6);
        using var a = model.forward(x);
        using var b = shuffled.forward(x);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
        Assert.False(model.Layers[0].weight!.allclose(shuffled.Layers[0].weight!));
    }

    [Fact]
    public void ConvSpecDescribesResidualSharingAndChecksSizes()
    {
        // A stem conv and two residual blocks sharing the stream group "P_res", as a ResNet spec would.
        var spec = new PermutationSpec.Builder()
            .Conv("stem", null, "P_res").Norm("stem_bn", "P_res")
            .Conv("block0.conv1", "P_res", "P_b0").Norm("block0.bn1", "P_b0").Conv("block0.conv2", "P_b0", "P_res")
            .Dense("head", "P_res", null)
            .Build();
        Assert.Equal(new[] { "P_b0", "P_res" }, spec.Groups);
        var state = new Dictionary<string, Tensor>
        {
            ["stem.weight"] = zeros(8, 3, 3, 3),
            ["stem_bn.weight"] = zeros(8),
            ["stem_bn.bias"] = zeros(8),
            ["stem_bn.running_mean"] = zeros(8),
            ["stem_bn.running_var"] = zeros(8),
            ["block0.conv1.weight"] = zeros(4, 8, 3, 3),
            ["block0.bn1.weight"] = zeros(4),
            ["block0.bn1.bias"] = zeros(4),
            ["block0.bn1.running_mean"] = zeros(4),
            ["block0.bn1.running_var"] = zeros(4),
            ["block0.conv2.weight"] = zeros(8, 4, 3, 3),
            ["head.weight"] = zeros(10, 8),
            ["head.bias"] = zeros(10),
        };
        var sizes = spec.GroupSizes(state);
        Assert.Equal(8, sizes["P_res"]);
        Assert.Equal(4, sizes["P_b0"]);
        state["block0.conv2.weight"] = zeros(8, 5, 3, 3);
        Assert.Contains("block0.conv2.weight", Assert.Throws<ArgumentException>(() => spec.GroupSizes(state)).Message);
        state["block0.conv2.weight"] = zeros(8, 4, 3, 3);
        state.Remove("head.bias");
        Assert.Contains("head.bias", Assert.Throws<ArgumentException>(() => spec.GroupSizes(state)).Message);
    }

    [Fact]
    public void InvalidPermutationsAreRejected()
    {
        var model = new Mlp([(4, 3), (3, 2)]);
        var spec = PermutationSpec.ForMlp(model);
        var state = ModelState.Copy(model);
        Assert.Contains("not a permutation", Assert.Throws<ArgumentException>(() => Permutations.Apply(spec, state, new Dictionary<string, int[]> { ["P_0"] = [0, 0, 1] })).Message);
        Assert.Contains("3 units", Assert.Throws<ArgumentException>(() => Permutations.Apply(spec, state, new Dictionary<string, int[]> { ["P_0"] = [0, 1] })).Message);
        ModelState.Dispose(state);
    }

    [Fact]
    public void WeightMatchingRecoversAShuffledCopyExactly()
    {
        manual_seed(3);
        var model = new Mlp([(20, 32), (32, 16), (16, 5)]);
        var (shuffled, _) = Shuffled(model, 11);
        var spec = PermutationSpec.ForMlp(model);
        var a = ModelState.Copy(model);
        var b = ModelState.Copy(shuffled);
        var result = WeightMatching.Align(spec, a, b);
        var aligned = Permutations.Apply(spec, b, result.Permutations);
        foreach (var (name, value) in a) Assert.True(value.allclose(aligned[name], rtol: 0, atol: 0), name);
        Assert.True(result.Objective > WeightMatching.Objective(spec, a, b, Permutations.Identity(spec.GroupSizes(a))));
        foreach (var s in new[] { a, b, aligned }) ModelState.Dispose(s);
    }

    [Fact]
    public void ActivationMatchingRecoversAShuffledCopy()
    {
        manual_seed(4);
        var model = new Mlp([(20, 32), (32, 16), (16, 5)]);
        var (shuffled, perms) = Shuffled(model, 5);
        using var x = randn(500, 20);
        var found = ActivationMatching.AlignMlp(model, shuffled, x);
        // shuffled's unit i is model's unit perms[i]; aligning shuffled to model needs the inverse.
        foreach (var (group, perm) in perms) Assert.Equal(Permutations.Inverse(perm), found[group]);
    }

    [Fact]
    public void AveragingIsElementwiseAndNamesTheFirstMismatch()
    {
        var a = new Mlp([(2, 2), (2, 1)]);
        var b = new Mlp([(2, 2), (2, 1)]);
        using (no_grad())
        {
            a.Layers[0].weight!.copy_(tensor(new float[] { 1, 2, 3, 4 }, [2, 2]));
            b.Layers[0].weight!.copy_(tensor(new float[] { 3, 2, 1, 0 }, [2, 2]));
        }
        var average = WeightAveraging.Into([a, b], new Mlp([(2, 2), (2, 1)]));
        Assert.Equal(new float[] { 2, 2, 2, 2 }, average.Layers[0].weight!.data<float>().ToArray());
        var e = Assert.Throws<ArgumentException>(() => WeightAveraging.Into([a, new Mlp([(2, 3), (3, 1)])], new Mlp([(2, 2), (2, 1)])));
        Assert.Contains("layers.0.weight", e.Message);
        Assert.Contains("member 1", e.Message);
    }

    [Fact]
    public void AlignedAverageOfShuffledCopiesIsTheOriginal()
    {
        manual_seed(6);
        var model = new Mlp([(10, 12), (12, 4)]);
        var (copy1, _) = Shuffled(model, 1);
        var (copy2, _) = Shuffled(model, 2);
        var spec = PermutationSpec.ForMlp(model);
        var aligned = AlignedAveraging.Into([model, copy1, copy2], spec, model.CloneArchitecture(), AlignedAveraging.ByWeightMatching(spec));
        var naive = WeightAveraging.Into([model, copy1, copy2], model.CloneArchitecture());
        Assert.True(aligned.Layers[0].weight!.allclose(model.Layers[0].weight!, rtol: 1e-6, atol: 1e-7));
        Assert.False(naive.Layers[0].weight!.allclose(model.Layers[0].weight!, rtol: 1e-3, atol: 1e-4));
    }
}
