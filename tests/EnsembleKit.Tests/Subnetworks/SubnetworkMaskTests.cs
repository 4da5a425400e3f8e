using EnsembleKit.Subnetworks;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class SubnetworkMaskTests
{
    [Fact]
    public void ExactCountRuleRoundsHalfAwayAndKeepsOneUnit()
    {
        Assert.Equal(21, MaskOptions.PrunedCount(70, 0.3));   // 21.0
        Assert.Equal(6, MaskOptions.PrunedCount(21, 0.3));    // 6.3 -> 6
        Assert.Equal(11, MaskOptions.PrunedCount(21, 0.5));   // 10.5 -> 11 (away from zero)
        Assert.Equal(0, MaskOptions.PrunedCount(1, 0.9));     // 0.9 -> 1, but one unit is always kept
        Assert.Equal(9, MaskOptions.PrunedCount(10, 0.95));   // 9.5 -> 10 -> capped at 9
        Assert.Equal(0, MaskOptions.PrunedCount(5, 0.0));
    }

    [Fact]
    public void RandomUnstructuredMaskHasTheRequestedCountPerLayer()
    {
        using var model = SubnetFixtures.Small();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.3 }, seed: 4);
        // only the weights, in model order; biases are never masked by default
        Assert.Equal(["layers.0.weight", "layers.1.weight"], mask.Names);
        Assert.Equal([70L - 21, 21L - 6], mask.Layers.Select(l => l.Kept));
        Assert.Equal(49 + 15, mask.Kept);
        Assert.Equal(91, mask.Total);
        Assert.Equal(1 - 64.0 / 91, mask.Sparsity, 12);
        foreach (var name in mask.Names)
        {
            var values = SubnetFixtures.Values(mask[name]);
            Assert.All(values, v => Assert.True(v is 0 or 1));
            Assert.Equal(model.get_parameter(name)!.shape, mask[name].shape);
        }
    }

    [Fact]
    public void BiasesAreMaskedOnlyWhenAsked()
    {
        using var model = SubnetFixtures.Small();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5, IncludeBiases = true }, seed: 1);
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"], mask.Names);
        Assert.Equal(7 - 4, mask.Layers.Single(l => l.Name == "layers.0.bias").Kept);   // 3.5 -> 4 removed
    }

    [Fact]
    public void StructuredMaskRemovesWholeRowsAndTheirBiases()
    {
        using var model = SubnetFixtures.Small();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5, Structure = MaskStructure.Structured, IncludeBiases = true }, seed: 2);
        var w = SubnetFixtures.Values(mask["layers.0.weight"]);   // [7, 10]
        var b = SubnetFixtures.Values(mask["layers.0.bias"]);
        int removedRows = 0;
        for (int r = 0; r < 7; r++)
        {
            var row = w.Skip(r * 10).Take(10).ToArray();
            Assert.True(row.All(v => v == row[0]), $"row {r} is partly masked");
            Assert.Equal(row[0], b[r]);   // a removed neuron loses its bias too
            if (row[0] == 0) removedRows++;
        }
        Assert.Equal(4, removedRows);   // round(3.5) = 4 of 7 output neurons
        Assert.Equal(3 - 2, mask.Layers.Single(l => l.Name == "layers.1.weight").Kept / 7);   // 1.5 -> 2 of 3 rows removed
    }

    [Fact]
    public void MagnitudeMaskRemovesTheSmallestWeights()
    {
        using var model = SubnetFixtures.Small();
        var weight = model.get_parameter("layers.0.weight")!;
        var magnitudes = SubnetFixtures.Values(weight).Select(Math.Abs).ToArray();
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.4, Criterion = MaskCriterion.Magnitude }, seed: 0);
        var kept = SubnetFixtures.Values(mask["layers.0.weight"]);
        // brute force: the 28 smallest |w| are removed
        var removed = Enumerable.Range(0, 70).OrderBy(i => magnitudes[i]).ThenBy(i => i).Take(28).ToHashSet();
        for (int i = 0; i < 70; i++) Assert.Equal(removed.Contains(i) ? 0.0 : 1.0, kept[i]);

        // structured: rows of smallest L1 norm
        using var rows = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.4, Criterion = MaskCriterion.Magnitude, Structure = MaskStructure.Structured }, seed: 0);
        var norms = Enumerable.Range(0, 7).Select(r => magnitudes.Skip(r * 10).Take(10).Sum()).ToArray();
        var removedRows = Enumerable.Range(0, 7).OrderBy(r => norms[r]).Take(3).ToHashSet();   // round(2.8) = 3
        var rowMask = SubnetFixtures.Values(rows["layers.0.weight"]);
        for (int r = 0; r < 7; r++) Assert.Equal(removedRows.Contains(r) ? 0.0 : 1.0, rowMask[r * 10]);
    }

    [Fact]
    public void BernoulliSamplingMatchesOnlyOnAverage()
    {
        using var model = nn.Linear(100, 100);
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.3, Sampling = MaskSampling.Bernoulli }, seed: 3);
        Assert.InRange(mask.Sparsity, 0.28, 0.32);   // 10,000 independent draws: sd 0.0046
        Assert.NotEqual(3000, mask.Total - mask.Kept);
        Assert.Throws<ArgumentException>(() => SubnetworkMask.Sample(model,
            new MaskOptions { Criterion = MaskCriterion.Magnitude, Sampling = MaskSampling.Bernoulli }, 0));
    }

    [Fact]
    public void SameSeedSameMask()
    {
        using var model = SubnetFixtures.Spiral();
        using var a = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 7);
        using var b = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 7);
        using var c = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 8);
        Assert.Equal(0, MaskDistance.HammingCount(a, b));
        Assert.True(MaskDistance.HammingCount(a, c) > 0);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void SparsityOutsideTheUnitIntervalIsRejected(double sparsity)
    {
        using var model = SubnetFixtures.Small();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SubnetworkMask.Sample(model, new MaskOptions { Sparsity = sparsity }, 0));
        Assert.Contains("[0, 1)", e.Message);
        Assert.Contains(sparsity.ToString(), e.Message);
    }

    [Fact]
    public void ApplyZeroesExactlyTheRemovedWeights()
    {
        using var model = SubnetFixtures.Small();
        var before = SubnetFixtures.Values(model.get_parameter("layers.0.weight")!);
        var biasBefore = SubnetFixtures.Values(model.get_parameter("layers.0.bias")!);
        using var mask = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 5);
        Assert.False(mask.IsAppliedTo(model));
        mask.ApplyTo(model);
        Assert.True(mask.IsAppliedTo(model));
        var after = SubnetFixtures.Values(model.get_parameter("layers.0.weight")!);
        var m = SubnetFixtures.Values(mask["layers.0.weight"]);
        for (int i = 0; i < after.Length; i++) Assert.Equal(m[i] == 1 ? before[i] : 0.0, after[i]);
        Assert.Equal(biasBefore, SubnetFixtures.Values(model.get_parameter("layers.0.bias")!));

        using var anti = mask.Complement();
        Assert.Equal(mask.Total - mask.Kept, anti.Kept);
        Assert.Equal(1.0, MaskDistance.Hamming(mask, anti));
    }

    [Fact]
    public void MismatchedModelsAndBadValuesGiveClearErrors()
    {
        using var small = SubnetFixtures.Small();
        using var other = SubnetFixtures.Spiral();
        using var mask = SubnetworkMask.Sample(small, new MaskOptions(), 0);
        var e = Assert.Throws<ArgumentException>(() => mask.ApplyTo(other));
        Assert.Contains("layers.0.weight", e.Message);
        Assert.Contains("[7, 10]", e.Message);
        using var half = full(new long[] { 7, 10 }, 0.5f);
        Assert.Throws<ArgumentException>(() => SubnetworkMask.FromTensors(new Dictionary<string, Tensor> { ["layers.0.weight"] = half }));
        using var noWeights = nn.Sequential(nn.ReLU());
        Assert.Throws<ArgumentException>(() => SubnetworkMask.Sample(noWeights, new MaskOptions(), 0));
    }

    [Fact]
    public void ReportCountsNonzeroParametersPerChildAndInTotal()
    {
        using var a = SubnetFixtures.Small(1);
        using var b = SubnetFixtures.Small(2);
        using var mask = SubnetworkMask.Sample(a, new MaskOptions { Sparsity = 0.3 }, seed: 4);
        mask.ApplyTo(a);
        var report = SubnetworkReport.Of([a, b], parent: b);
        // 70 + 7 + 21 + 3 = 101 parameters each; child 1 lost 21 + 6 weights (random init has no exact zeros)
        Assert.Equal([101L, 101L], report.Children.Select(c => c.Parameters));
        Assert.Equal(101 - 27, report.Children[0].NonZero);
        Assert.Equal(27.0 / 91, report.Children[0].WeightSparsity, 12);
        Assert.Equal(27.0 / 101, report.Children[0].Sparsity, 12);
        Assert.Equal(101 - 27 + 101, report.TotalNonZero);
        Assert.Equal("parent", report.Parent!.Label);
    }
}
