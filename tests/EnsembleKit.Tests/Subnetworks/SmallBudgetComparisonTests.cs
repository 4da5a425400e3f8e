using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Tests.Subnetworks;

public class SmallBudgetComparisonTests
{
    static readonly SmallBudgetOptions Tiny = new()
    {
        Budget = 4,
        Members = 2,
        McSamples = 3,
        Training = new SmallBudgetOptions().Training with { BatchSize = 20, Progress = ProgressSinks.None },
    };

    static Net Create() => new Mlp([(2, 16), (16, 16), (16, 2)]);
    static Net CreateDropout() => new Mlp([(2, 16), (16, 16), (16, 2)], dropoutRate: 0.5);

    static SmallBudgetRun RunTiny(List<string>? log = null)
    {
        using var train = SubnetFixtures.SpiralData(40, seed: 1);
        using var test = SubnetFixtures.SpiralData(30, seed: 2);
        return SmallBudgetComparison.Run("spiral", Create, CreateDropout, train, test, Tiny, seed: 5, log is null ? null : log.Add);
    }

    static void Dispose(SmallBudgetRun run)
    {
        run.Parent.Dispose();
        run.Random.Dispose();
        run.Partitioned.Dispose();
    }

    [Fact]
    public void EveryMethodSpendsTheSameBudgetAndIsScored()
    {
        var log = new List<string>();
        var run = RunTiny(log);
        try
        {
            Assert.Equal(
            [
                "Independent (1 model × 4 epochs)", "Deep ensemble (2 × 2 epochs)", "Dropout 0.5 (1 model × 4 epochs, off at test)",
                "MC dropout (3 passes of that model)", "Bagging (2 × 2 epochs, 90 % bootstrap)", "SSE parent alone (2 epochs)",
                "SSE (R) (2 children × 1 epoch)", "SSE (NP) (1 pairs × 1 epoch)", "SSE (NP) + parent (Algorithm 2's average)",
            ], run.Rows.Select(r => r.Method));
            Assert.Equal([1, 2, 1, 3, 2, 1, 2, 2, 3], run.Rows.Select(r => r.Members));
            Assert.All(run.Rows, r =>
            {
                Assert.Equal("spiral", r.Data);
                Assert.InRange(r.Accuracy, 0, 100);
                Assert.True(r.Nll > 0 && double.IsFinite(r.Nll));
            });
            // Single models: the ensemble is the model, so its accuracy is the member accuracy.
            Assert.Equal(run.Rows[0].Accuracy, run.Rows[0].MemberAccuracy, 9);
            Assert.Equal(5, log.Count); // one line per finished stage: independent, deep, dropout, bagging, SSE
            Assert.StartsWith("spiral, run 5: independent (", log[0]);
            // NP children are a mask and its anti-mask of the parent; R children each keep half of the weights.
            Assert.Equal(1.0, MaskDistance.Hamming(run.Partitioned.Masks[0], run.Partitioned.Masks[1]));
            Assert.All(run.Random.Report().Children, c => Assert.Equal(0.5, c.WeightSparsity, 12));
            // The SSE rows score exactly the members they name: the R children, the NP children, and the NP children with
            // the parent (a row using the wrong members, or dropping the parent, would differ).
            using var test = SubnetFixtures.SpiralData(30, seed: 2);
            using var random = run.Random.MemberLogits(test);
            Assert.Equal(SmallBudgetComparison.Score("spiral", run.Rows[6].Method, random, test), run.Rows[6]);
            using var partitioned = run.Partitioned.MemberLogits(test);
            Assert.Equal(SmallBudgetComparison.Score("spiral", run.Rows[7].Method, partitioned, test), run.Rows[7]);
            using var withParent = run.Partitioned.MemberLogits(test, run.Parent);
            Assert.Equal(SmallBudgetComparison.Score("spiral", run.Rows[8].Method, withParent, test), run.Rows[8]);
        }
        finally { Dispose(run); }
    }

    [Fact]
    public void SameSeedGivesTheSameRows()
    {
        var first = RunTiny();
        var second = RunTiny();
        try { Assert.Equal(first.Rows, second.Rows); }
        finally { Dispose(first); Dispose(second); }
    }

    [Fact]
    public void TheParentIsTheIndependentModelHalfWay()
    {
        // Training the same model for half the budget with the same seed gives the parent's weights exactly.
        var run = RunTiny();
        try
        {
            using var train = SubnetFixtures.SpiralData(40, seed: 1);
            manual_seed(5);
            using var half = Create();
            new Trainer(Tiny.Training with { Epochs = Tiny.ParentEpochs, Seed = 5 }).Fit(half, train);
            var expected = half.parameters().Select(SubnetFixtures.Values).ToList();
            Assert.Equal(expected, run.Parent.parameters().Select(SubnetFixtures.Values).ToList());
        }
        finally { Dispose(run); }
    }

    [Theory]
    [InlineData(3, 2)]   // odd budget
    [InlineData(4, 3)]   // odd member count (NP pairs)
    [InlineData(6, 4)]   // budget does not divide among members
    [InlineData(0, 2)]
    public void ImpossibleBudgetsAreRefused(int budget, int members)
    {
        var options = Tiny with { Budget = budget, Members = members };
        Assert.ThrowsAny<ArgumentException>(options.Validate);
    }

    [Fact]
    public void BadRatesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { Sparsity = 1 }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { BaggingFraction = 0 }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { ChildEpochs = 0 }).Validate);
        Assert.Throws<ArgumentOutOfRangeException>((Tiny with { McSamples = 0 }).Validate);
    }
}
