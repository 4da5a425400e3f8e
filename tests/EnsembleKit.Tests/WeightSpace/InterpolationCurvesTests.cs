using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public sealed class InterpolationCurvesTests
{
    [Fact]
    public void RawAndWeightMatchedAreTheTwoCurvesWrittenOut()
    {
        manual_seed(5);
        using var a = new Mlp([(6, 8), (8, 3)]);
        using var b = new Mlp([(6, 8), (8, 3)]);
        var inputs = randn(100, 6);
        using var data = new TensorDataset(inputs, inputs.narrow(1, 0, 3).argmax(1), 3, "toy");
        var spec = PermutationSpec.ForMlp(a);
        var before = b.Layers[0].weight!.detach().clone();

        var curves = InterpolationCurves.RawAndWeightMatched(a, b, spec, () => new Mlp([(6, 8), (8, 3)]), data, points: 5);

        var sa = ModelState.Copy(a);
        var sb = ModelState.Copy(b);
        var aligned = Permutations.Apply(spec, sb, WeightMatching.Align(spec, sa, sb).Permutations);
        var raw = InterpolationCurve.Evaluate("raw", sa, sb, new Mlp([(6, 8), (8, 3)]), data, 5);
        var matched = InterpolationCurve.Evaluate("after weight matching", sa, aligned, new Mlp([(6, 8), (8, 3)]), data, 5);
        Assert.Equal(["raw", "after weight matching"], curves.Select(c => c.Label));
        Assert.Equal(raw.Points, curves[0].Points);
        Assert.Equal(matched.Points, curves[1].Points);
        // B permuted computes the same function: both curves end at B's loss; B itself is unchanged
        Assert.Equal(curves[0].Points[^1].Loss, curves[1].Points[^1].Loss, 5);
        Assert.True(before.eq(b.Layers[0].weight!.detach()).all().item<bool>());
    }

    [Fact]
    public void BadInputIsRefused()
    {
        using var a = new Mlp([(6, 8), (8, 3)]);
        using var data = new TensorDataset(randn(10, 6), zeros(10, dtype: ScalarType.Int64), 3, "toy");
        var spec = PermutationSpec.ForMlp(a);
        Assert.Throws<ArgumentOutOfRangeException>(() => InterpolationCurves.RawAndWeightMatched(a, a, spec, () => new Mlp([(6, 8), (8, 3)]), data, points: 1));
        Assert.Throws<ArgumentNullException>(() => InterpolationCurves.RawAndWeightMatched(a, null!, spec, () => new Mlp([(6, 8), (8, 3)]), data));
    }
}
