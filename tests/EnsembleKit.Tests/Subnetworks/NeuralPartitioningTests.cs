using EnsembleKit.Subnetworks;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class NeuralPartitioningTests
{
    [Theory]
    [InlineData(2, MaskSampling.ExactCount)]
    [InlineData(3, MaskSampling.ExactCount)]
    [InlineData(3, MaskSampling.Bernoulli)]
    [InlineData(5, MaskSampling.ExactCount)]
    public void PartsAreDisjointAndCoverEveryWeight(int k, MaskSampling sampling)
    {
        using var model = SubnetFixtures.Spiral();
        var parts = NeuralPartitioning.Partition(model, k, seed: 11, new MaskOptions { Sampling = sampling });
        try
        {
            Assert.Equal(k, parts.Length);
            foreach (var name in parts[0].Names)
            {
                // every entry belongs to exactly one part
                var sum = SubnetFixtures.Values(parts[0][name]);
                for (int j = 1; j < k; j++)
                {
                    var v = SubnetFixtures.Values(parts[j][name]);
                    for (int i = 0; i < sum.Length; i++) sum[i] += v[i];
                }
                Assert.All(sum, s => Assert.Equal(1.0, s));
                if (sampling == MaskSampling.ExactCount)
                {
                    long units = parts[0][name].numel();
                    Assert.All(parts, p => Assert.InRange(p.Layers.Single(l => l.Name == name).Kept, units / k, (units + k - 1) / k));
                }
            }
            for (int i = 0; i < k; i++)
                for (int j = i + 1; j < k; j++)
                {
                    Assert.Equal(1.0, MaskDistance.Jaccard(parts[i], parts[j]));
                    // disjoint masks differ exactly where either keeps an entry
                    Assert.Equal(parts[i].Kept + parts[j].Kept, MaskDistance.HammingCount(parts[i], parts[j]));
                }
            Assert.Equal(parts[0].Total, parts.Sum(p => p.Kept));
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    [Fact]
    public void TwoPartsAreAMaskAndItsAntiMask()
    {
        using var model = SubnetFixtures.Spiral();
        var parts = NeuralPartitioning.Partition(model, 2, seed: 3);
        using var anti = parts[0].Complement();
        Assert.Equal(0, MaskDistance.HammingCount(anti, parts[1]));
        // 320 weights split 160 / 160; layer sizes 32, 256, 32 are even
        Assert.Equal(160, parts[0].Kept);
        Assert.Equal(0.5, parts[1].Sparsity, 12);
        var (m, m2) = NeuralPartitioning.Pair(parts[0]);
        Assert.Equal(0, MaskDistance.HammingCount(m2, parts[1]));
        foreach (var p in new[] { parts[0], parts[1], m, m2 }) p.Dispose();
    }

    [Fact]
    public void StructuredPartitionsSplitWholeRows()
    {
        using var model = SubnetFixtures.Small();
        var parts = NeuralPartitioning.Partition(model, 3, seed: 1, new MaskOptions { Structure = MaskStructure.Structured });
        var rows = parts.Select(p => SubnetFixtures.Values(p["layers.0.weight"])).ToArray();
        for (int r = 0; r < 7; r++)
        {
            var owners = Enumerable.Range(0, 3).Where(k => rows[k][r * 10] == 1).ToList();
            Assert.Single(owners);
            Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1.0, rows[owners[0]][r * 10 + c]));
        }
        // 7 rows over 3 parts: 3, 2, 2 (the extra row goes to part (j + t) mod 3)
        Assert.Equal([2L, 2L, 3L], parts.Select(p => p.Layers[0].Kept / 10).OrderBy(x => x));
        foreach (var p in parts) p.Dispose();
    }

    [Fact]
    public void FewerThanTwoPartsOrMagnitudeAreRejected()
    {
        using var model = SubnetFixtures.Small();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NeuralPartitioning.Partition(model, 1, 0));
        Assert.Contains("at least 2", e.Message);
        Assert.Throws<ArgumentException>(() => NeuralPartitioning.Partition(model, 2, 0, new MaskOptions { Criterion = MaskCriterion.Magnitude }));
    }

    [Fact]
    public void SameSeedSamePartition()
    {
        using var model = SubnetFixtures.Spiral();
        var a = NeuralPartitioning.Partition(model, 3, seed: 5);
        var b = NeuralPartitioning.Partition(model, 3, seed: 5);
        var c = NeuralPartitioning.Partition(model, 3, seed: 6);
        for (int k = 0; k < 3; k++) Assert.Equal(0, MaskDistance.HammingCount(a[k], b[k]));
        Assert.True(MaskDistance.HammingCount(a[0], c[0]) > 0);
        foreach (var p in a.Concat(b).Concat(c)) p.Dispose();
    }

    [Fact]
    public void CartesianDistanceOfTheDissertationExample()
    {
        // seed 002 eq. 3.10: M and its anti-mask M' differ in all 16 entries
        float[] m = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1];
        using var mt = tensor(m, new long[] { 4, 4 });
        using var mask = SubnetworkMask.FromTensors(new Dictionary<string, Tensor> { ["w"] = mt });
        using var anti = mask.Complement();
        Assert.Equal(8, anti.Kept);
        Assert.Equal(4.0, MaskDistance.Cartesian(mask, anti), 12);              // sqrt(16)
        Assert.Equal(8.0, MaskDistance.TotalCartesian([mask, anti]), 12);       // CD(M,M') + CD(M',M)

        // a = 1100, b = 1010: differ in 2 of 4; kept sets {0,1} and {0,2}
        using var at = tensor(new float[] { 1, 1, 0, 0 });
        using var bt = tensor(new float[] { 1, 0, 1, 0 });
        using var a = SubnetworkMask.FromTensors(new Dictionary<string, Tensor> { ["v"] = at });
        using var b = SubnetworkMask.FromTensors(new Dictionary<string, Tensor> { ["v"] = bt });
        Assert.Equal(Math.Sqrt(2), MaskDistance.Cartesian(a, b), 12);
        Assert.Equal(0.5, MaskDistance.Hamming(a, b), 12);
        Assert.Equal(2.0 / 3, MaskDistance.Jaccard(a, b), 12);                  // 1 - 1/3
        var d = MaskDistance.Pairwise([a, b, a], MaskDistance.Hamming);
        Assert.Equal(0.5, d[0, 1]);
        Assert.Equal(0.0, d[0, 2]);
        Assert.Equal(d[1, 2], d[2, 1]);
        Assert.Throws<ArgumentException>(() => MaskDistance.Hamming(a, mask));
    }
}
