using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

public class BaggingTests
{
    [Fact]
    public void BootstrapIndicesAreInRangeSizedAndRepeat()
    {
        using var idx = Bagging.SampleIndices(1000, 0.9, withReplacement: true, seed: 3);
        Assert.Equal(ScalarType.Int64, idx.dtype);
        Assert.Equal(new long[] { 900 }, idx.shape);
        var values = idx.data<long>().ToArray();
        Assert.All(values, v => Assert.InRange(v, 0, 999));
        // 900 draws from 1000 with replacement: about 1000·(1 − e^−0.9) ≈ 593 distinct rows, never all 900
        int distinct = values.Distinct().Count();
        Assert.InRange(distinct, 540, 650);
        using var again = Bagging.SampleIndices(1000, 0.9, withReplacement: true, seed: 3);
        Assert.True(idx.allclose(again, rtol: 0, atol: 0));
        using var other = Bagging.SampleIndices(1000, 0.9, withReplacement: true, seed: 4);
        Assert.False(idx.allclose(other, rtol: 0, atol: 0));
    }

    [Fact]
    public void SubsetIndicesWithoutReplacementAreDistinct()
    {
        using var idx = Bagging.SampleIndices(10, 0.45, withReplacement: false, seed: 1);
        var values = idx.data<long>().ToArray();
        Assert.Equal(5, values.Length); // round(4.5) away from zero
        Assert.Equal(5, values.Distinct().Count());
        Assert.All(values, v => Assert.InRange(v, 0, 9));
        using var all = Bagging.SampleIndices(7, 1.0, withReplacement: false, seed: 2);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), all.data<long>().ToArray().Order());
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bagging.SampleIndices(0, 0.5, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bagging.SampleIndices(10, 0, true, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bagging.SampleIndices(10, 1.5, false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bagging.SampleIndices(10, double.NaN, true, 0));
        using var data = new TensorDataset(zeros(4, 2), zeros(4, dtype: ScalarType.Int64), 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bagging.Train(() => new Mlp([(2, 2)]), data, new TrainingOptions(), count: 0));
    }

    [Fact]
    public void EachMemberIsTrainedOnItsOwnResample()
    {
        manual_seed(0);
        using var x = randn(60, 4);
        using var y = x.select(1, 0).gt(0).to(ScalarType.Int64);
        using var data = new TensorDataset(x.clone(), y.clone(), 2, "toy");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.1, Progress = ProgressSinks.None };
        using var bagged = Bagging.Train(() => new Mlp([(4, 8), (8, 2)]), data, options, count: 2, fraction: 0.5, seed: 10);
        Assert.Equal(2, bagged.Count);
        Assert.Equal(2, bagged.Histories.Count);
        for (int m = 0; m < 2; m++)
        {
            // the same member by hand: seed 10 + m for the weights, the batch order and the resample
            using var idx = Bagging.SampleIndices(60, 0.5, withReplacement: true, seed: 10 + m);
            using var resample = data.Subset(idx);
            manual_seed(10 + m);
            using var expected = new Mlp([(4, 8), (8, 2)]);
            new Trainer(options with { Seed = 10 + m }).Fit(expected, resample);
            var got = bagged.Members[m].parameters().ToList();
            var want = expected.parameters().ToList();
            Assert.Equal(want.Count, got.Count);
            for (int i = 0; i < want.Count; i++) Assert.True(got[i].allclose(want[i], rtol: 0, atol: 0), $"member {m} parameter {i}");
        }
        // other seed and other resample: the members differ
        Assert.False(bagged.Members[0].parameters().First().allclose(bagged.Members[1].parameters().First(), rtol: 1e-3, atol: 1e-3));
    }
}
