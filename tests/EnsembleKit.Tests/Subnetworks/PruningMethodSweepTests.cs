using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Tests.Subnetworks;

public class PruningMethodSweepTests
{
    static readonly PruningSweepOptions Tiny = new()
    {
        Sparsities = [0.5, 0.75],
        Epsilons = [1],
        Temperatures = [0.5],
        Criteria = [MaskCriterion.Random, MaskCriterion.Magnitude],
        Rates = [TuningRates.Constant],
        Seeds = 2,
        PerStep = true,
        Tuning = SubnetFixtures.Quick,
    };

    static Net Create() => new Mlp([(2, 16), (16, 16), (16, 2)]);

    static PruningSweepResult RunTiny(PruningSweepOptions options, List<string>? log = null)
    {
        using var train = SubnetFixtures.SpiralData(40, seed: 1);
        using var test = SubnetFixtures.SpiralData(30, seed: 2);
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick).Fit(parent, train);
        using var weights = WeightSnapshot.Of(parent, "parent");
        return PruningMethodSweep.Run(weights, Create, train, test, options, log is null ? null : log.Add);
    }

    [Fact]
    public void EveryMethodSettingAndSeedIsTunedOnce()
    {
        var log = new List<string>();
        var result = RunTiny(Tiny, log);
        // Random masks: one-shot, iterative, random and temperature annealing; magnitude masks: no random annealing.
        Assert.Equal(2 * 2 * (4 + 3), result.Runs.Count);
        Assert.DoesNotContain(result.Runs, r => r.Criterion == "Magnitude" && r.Method == "random annealing");
        Assert.All(result.Runs, r =>
        {
            Assert.Equal("constant", r.Rates);
            Assert.Equal(SubnetFixtures.Quick.Epochs, r.Curve.Count);
            Assert.Equal(r.Curve[^1].Accuracy, r.Accuracy);
            Assert.InRange(r.AchievedSparsity, r.Sparsity - 0.01, r.Sparsity + 0.01); // every method ends on its target
        });
        Assert.Equal(4, log.Count); // one line per (criterion, regime, sparsity)
        Assert.StartsWith("Random, constant LR, sparsity 50", log[0]);
    }

    [Fact]
    public void BestAveragesSeedsAndPicksTheBestSetting()
    {
        var result = RunTiny(Tiny with { Criteria = [MaskCriterion.Random], Sparsities = [0.5], Temperatures = [0.3, 1.0] });
        var temperature = result.Runs.Where(r => r.Method == "temperature annealing").ToList();
        var means = temperature.GroupBy(r => r.Setting).ToDictionary(g => g.Key, g => g.Average(r => r.Accuracy));
        var best = result.Best("Random", "constant", "temperature annealing", 0.5);
        Assert.Equal(means.Values.Max(), best.Accuracy, 12);
        Assert.Equal(means.MaxBy(kv => kv.Value).Key, best.Setting);
        Assert.Equal(2, best.PerSeed.Count);
        Assert.Throws<ArgumentException>(() => result.Best("Random", "constant", "no such method", 0.5));
    }

    [Fact]
    public void TheSameOptionsGiveTheSameRuns()
    {
        var options = Tiny with { Criteria = [MaskCriterion.Random], Sparsities = [0.75], Seeds = 1 };
        var first = RunTiny(options).Runs.Select(r => (r.Method, r.Setting, r.Accuracy, r.AchievedSparsity));
        var second = RunTiny(options).Runs.Select(r => (r.Method, r.Setting, r.Accuracy, r.AchievedSparsity));
        Assert.Equal(first, second);
    }

    [Fact]
    public void BadGridsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { Sparsities = [0.5, 1.0] }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { Epsilons = [0] }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { Temperatures = [] }).Validate);
        Assert.Throws<ArgumentException>((Tiny with { Rates = [] }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { Seeds = 0 }).Validate);
    }
}
