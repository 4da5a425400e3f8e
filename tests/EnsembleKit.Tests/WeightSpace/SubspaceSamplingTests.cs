using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Models;
using EnsembleKit.WeightSpace;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class SubspaceSamplingTests
{
    static Mlp Model(long seed)
    {
        manual_seed(seed);
        return new Mlp([(6, 5), (5, 3)]);
    }

    static double Norm(IEnumerable<double> v) => Math.Sqrt(v.Sum(x => x * x));

    [Fact]
    public void RandomDirectionsStepByTTimesEachLayersNorm()
    {
        using var model = Model(1);
        var center = ParameterVector.Flatten(model, includeBiases: true);
        var layout = ParameterVector.Layout(model, includeBiases: true);
        var samples = SubspaceSampling.RandomDirections(model, new RandomSubspaceOptions { Scales = [0.0, 0.5], DirectionsPerScale = 3, Seed = 4 });
        Assert.Equal(6, samples.Count);
        Assert.Equal(center, samples[0].Weights); // t = 0: the solution itself
        foreach (var s in samples.Where(s => s.Scale == 0.5))
            foreach (var slot in layout)
            {
                var range = Enumerable.Range((int)slot.Offset, (int)slot.Length).ToList();
                double step = Norm(range.Select(i => (double)s.Weights[i] - center[i]));
                double layer = Norm(range.Select(i => (double)center[i]));
                Assert.Equal(0.5 * layer, step, 4);
            }
        // seeded: same seed, same samples; another seed, other samples; directions differ from each other
        var again = SubspaceSampling.RandomDirections(model, new RandomSubspaceOptions { Scales = [0.0, 0.5], DirectionsPerScale = 3, Seed = 4 });
        Assert.Equal(samples[4].Weights, again[4].Weights);
        Assert.NotEqual(samples[3].Weights, samples[4].Weights);
        var other = SubspaceSampling.RandomDirections(model, new RandomSubspaceOptions { Scales = [0.5], DirectionsPerScale = 1, Seed = 5 });
        Assert.NotEqual(samples[3].Weights, other[0].Weights);
    }

    [Fact]
    public void DropoutZeroesOrRescalesEachWeight()
    {
        using var model = Model(2);
        var center = ParameterVector.Flatten(model);
        var samples = SubspaceSampling.DropoutMasks(model, new DropoutSubspaceOptions { KeepProbabilities = [0.5], SamplesPerProbability = 40, Seed = 1 });
        int dropped = 0, total = 0;
        foreach (var s in samples)
            for (int i = 0; i < center.Length; i++)
            {
                Assert.True(s.Weights[i] == 0f || s.Weights[i] == center[i] * 2f);
                if (s.Weights[i] == 0f) dropped++;
                total++;
            }
        Assert.InRange((double)dropped / total, 0.45, 0.55); // 1 - p_keep of 1800 weights
        var kept = SubspaceSampling.DropoutMasks(model, new DropoutSubspaceOptions { KeepProbabilities = [1.0], SamplesPerProbability = 1 });
        Assert.Equal(center, kept[0].Weights);
        Assert.Throws<ArgumentOutOfRangeException>(() => SubspaceSampling.DropoutMasks(model, new DropoutSubspaceOptions { KeepProbabilities = [0.0] }));
    }

    [Fact]
    public void DiagonalGaussianHasTheIteratesMeanAndSpread()
    {
        // iterates [0, 2, 5] and [2, 2, 5]: mean [1, 2, 5], population std [1, 0, 0]
        float[][] iterates = [[0f, 2f, 5f], [2f, 2f, 5f]];
        var samples = SubspaceSampling.DiagonalGaussian(iterates, new GaussianSubspaceOptions { Scales = [1.0, 0.0], SamplesPerScale = 4000, Seed = 3 });
        var spread = samples.Where(s => s.Scale == 1.0).Select(s => (double)s.Weights[0]).ToList();
        Assert.Equal(8000, samples.Count);
        Assert.Equal(4000, spread.Count);
        Assert.All(samples, s => Assert.Equal(2f, s.Weights[1]));
        Assert.All(samples, s => Assert.Equal(5f, s.Weights[2]));
        Assert.InRange(spread.Average(), 0.95, 1.05);
        Assert.InRange(Math.Sqrt(spread.Average(v => (v - 1) * (v - 1))), 0.95, 1.05);
        Assert.All(samples.Where(s => s.Scale == 0.0), s => Assert.Equal([1f, 2f, 5f], s.Weights));
        Assert.Throws<ArgumentException>(() => SubspaceSampling.DiagonalGaussian([[1f]]));
    }

    [Fact]
    public void LowRankGaussianStaysOnTheIteratesLine()
    {
        // iterates mu + c u with u = (1, 2, 2)/3 and c = -3, 0, 3: mean mu = (1, 1, 1), variance along u = (9 + 0 + 9)/3 = 6
        float[] mu = [1f, 1f, 1f];
        float[][] iterates = new[] { -3f, 0f, 3f }.Select(c => new[] { mu[0] + c / 3f, mu[1] + 2 * c / 3f, mu[2] + 2 * c / 3f }).ToArray();
        var samples = SubspaceSampling.LowRankGaussian(iterates, new GaussianSubspaceOptions { Rank = 2, SamplesPerScale = 3000, Seed = 9 });
        var along = new List<double>();
        foreach (var s in samples)
        {
            double[] d = [s.Weights[0] - 1, s.Weights[1] - 1, s.Weights[2] - 1];
            // parallel to u: d x u = 0
            Assert.Equal(0.0, d[1] * 2 - d[2] * 2, 4);
            Assert.Equal(0.0, d[0] * 2 - d[1] * 1, 4);
            along.Add((d[0] + 2 * d[1] + 2 * d[2]) / 3);
        }
        Assert.InRange(along.Average(), -0.15, 0.15);
        Assert.InRange(along.Average(v => v * v), 6 * 0.92, 6 * 1.08);
    }

    [Fact]
    public void EvaluateComparesWithTheBaseAndRestoresTheModel()
    {
        using var model = Model(3);
        var g = new Generator(1);
        using var inputs = randn([200, 6], generator: g);
        using var targets = randint(0, 3, [200], generator: g);
        using var test = new TensorDataset(inputs, targets, 3, "random");
        var before = ParameterVector.Flatten(model, includeBiases: true);
        var samples = SubspaceSampling.RandomDirections(model, new RandomSubspaceOptions { Scales = [0.0, 3.0], DirectionsPerScale = 2 });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long live = Tensor.TotalCount;
        var result = SubspaceSampling.Evaluate(model, samples, test, includeBiases: true, keepProbabilities: true);
        Assert.Equal(live, Tensor.TotalCount);
        Assert.Equal(before, ParameterVector.Flatten(model, includeBiases: true));
        Assert.Equal(4, result.Samples.Count);
        Assert.Equal(0.0, result.Samples[0].DisagreementWithBase);
        Assert.Equal(result.BaseAccuracy, result.Samples[0].Accuracy);
        Assert.Equal(result.BasePredictions, result.Samples[0].Predictions);
        Assert.True(result.Samples[2].DisagreementWithBase > 0); // a step of 3 layer norms changes predictions
        Assert.Equal(DiversityMetric.Disagreement(result.Samples[3].Predictions, result.BasePredictions), result.Samples[3].DisagreementWithBase);
        Assert.Equal(200 * 3, result.Samples[1].Probabilities!.Length);
        var groups = result.Groups();
        Assert.Equal("random direction", Assert.Single(groups).Group);
        Assert.Equal(4, groups[0].Points.Count);
        // a layout mismatch is named
        var e = Assert.Throws<ArgumentException>(() => SubspaceSampling.Evaluate(model, samples, test, includeBiases: false));
        Assert.Contains("includeBiases", e.Message);
    }
}
