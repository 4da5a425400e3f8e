using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

public class NoisySubnetworkTests
{
    [Fact]
    public void MirroredAndPartitionedChildrenAreSymmetric()
    {
        using var parent = SubnetFixtures.Spiral();
        var options = new NoisySubnetworkOptions { Sigma = 0.3, Mirrored = true, Partitioned = true, Mask = new MaskOptions { Sparsity = 0.5 } };
        var children = NoisySubnetwork.Children(parent, () => SubnetFixtures.Spiral(9), options, count: 4, seed: 3);
        Assert.Equal(4, children.Count);
        foreach (var (name, p) in parent.named_parameters())
        {
            var w = SubnetFixtures.Values(p);
            var c = children.Select(ch => SubnetFixtures.Values(ch.get_parameter(name)!)).ToArray();
            for (int i = 0; i < w.Length; i++)
            {
                // eqs. 4.8-4.11: W + N∘M, W + N∘(1-M), W - N∘M, W - N∘(1-M)
                double d1 = c[0][i] - w[i], d2 = c[1][i] - w[i], d3 = c[2][i] - w[i], d4 = c[3][i] - w[i];
                Assert.Equal(-d1, d3, 5);
                Assert.Equal(-d2, d4, 5);
                if (p.dim() < 2) Assert.True(d1 == 0 && d2 == 0 && d3 == 0 && d4 == 0, $"{name} is a bias and must not be perturbed");
                else Assert.True((d1 == 0) != (d2 == 0), $"{name}[{i}]: exactly one of mask and anti-mask perturbs each weight");
            }
        }
        foreach (var ch in children) ch.Dispose();
    }

    [Fact]
    public void MutationPerturbsExactlyTheSelectedFractionAndRepeatsWithTheSeed()
    {
        using var a = SubnetFixtures.Spiral();
        using var b = SubnetFixtures.Spiral();
        using var c = SubnetFixtures.Spiral();
        var before = SubnetFixtures.Values(a.get_parameter("layers.1.weight")!);
        var mask = new MaskOptions { Sparsity = 0.75 };
        NoisySubnetwork.Mutate(a, 0.5, mask, seed: 1);
        NoisySubnetwork.Mutate(b, 0.5, mask, seed: 1);
        NoisySubnetwork.Mutate(c, 0.5, mask, seed: 2);
        var wa = SubnetFixtures.Values(a.get_parameter("layers.1.weight")!);
        Assert.Equal(256 - 192, Enumerable.Range(0, 256).Count(i => wa[i] != before[i]));   // 75 % of 256 left untouched
        Assert.Equal(wa, SubnetFixtures.Values(b.get_parameter("layers.1.weight")!));
        Assert.NotEqual(wa, SubnetFixtures.Values(c.get_parameter("layers.1.weight")!));
    }

    [Fact]
    public void MeanKlMatchesAHandComputedValue()
    {
        // p = softmax(0, 0) = (1/2, 1/2); q = softmax(0, ln 3) = (1/4, 3/4): KL = 1/2 ln 2 + 1/2 ln(2/3) = 1/2 ln(4/3)
        using var p = tensor(new float[] { 0, 0, 1, 1 }, new long[] { 2, 2 });
        using var q = tensor(new float[] { 0, (float)Math.Log(3), 1, 1 }, new long[] { 2, 2 });
        Assert.Equal(0.5 * Math.Log(4.0 / 3) / 2, TrustRegionSearch.MeanKl(p, q), 6);   // second row: identical, KL 0
        Assert.Equal(0.0, TrustRegionSearch.MeanKl(p, p), 12);
        // (1/2 - 1/4)^2 + (1/2 - 3/4)^2 = 1/8, averaged over 2 rows
        Assert.Equal(1.0 / 16, TrustRegionSearch.MeanSquaredDifference(p, q), 6);
        using var wrong = zeros(2, 3);
        Assert.Throws<ArgumentException>(() => TrustRegionSearch.MeanKl(p, wrong));
    }

    /// <summary>KL(parent || child) averaged over rows, by plain loops over softmax outputs.</summary>
    static double BruteForceKl(Tensor parentLogits, Tensor childLogits)
    {
        int n = (int)parentLogits.shape[0], k = (int)parentLogits.shape[1];
        var a = SubnetFixtures.Values(parentLogits);
        var b = SubnetFixtures.Values(childLogits);
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            var pa = Softmax(a.Skip(r * k).Take(k).ToArray());
            var pb = Softmax(b.Skip(r * k).Take(k).ToArray());
            for (int c = 0; c < k; c++) total += pa[c] * Math.Log(pa[c] / pb[c]);
        }
        return total / n;

        static double[] Softmax(double[] x)
        {
            double max = x.Max();
            var e = x.Select(v => Math.Exp(v - max)).ToArray();
            double s = e.Sum();
            return e.Select(v => v / s).ToArray();
        }
    }

    [Fact]
    public void TrustRegionSearchReturnsSettingsWhoseMeasuredKlIsWithinTheBound()
    {
        using var validation = SubnetFixtures.SpiralData(60, seed: 5);
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick with { Epochs = 3 }).Fit(parent, validation);
        var weightsBefore = parent.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList();
        var options = new TrustRegionOptions { Strengths = [0.01, 0.1, 1.0], Sparsities = [0.0, 0.9], Bound = 0.01, Draws = 2, Seed = 4 };
        var result = TrustRegionSearch.Run(parent, validation, options);

        Assert.Equal(6, result.Points.Count);
        Assert.Equal([0.0, 0.0, 0.0, 0.9, 0.9, 0.9], result.Points.Select(p => p.Sparsity));
        Assert.All(result.Points, p => Assert.Equal(p.MeanKl <= 0.01, p.WithinBound));
        Assert.Contains(result.Points, p => !p.WithinBound);   // sigma 1.0 on every weight breaks the network
        var best = result.Require();
        Assert.True(best.MeanKl <= 0.01);
        Assert.Equal(result.Accepted.Max(p => p.MeanKl), best.MeanKl);
        // sparser mutations diverge less at the same strength
        Assert.True(result.Points[5].MeanKl < result.Points[2].MeanKl);
        // the parent is restored exactly
        Assert.Equal(weightsBefore, parent.named_parameters().Select(np => SubnetFixtures.Values(np.parameter)).ToList());

        // recompute the chosen setting's KL independently: same draws, brute-force KL
        int g = result.Points.ToList().IndexOf(best);
        using var parentLogits = Predict.Logits(parent, validation);
        double kl = 0;
        for (int d = 0; d < options.Draws; d++)
        {
            using var copy = SubnetFixtures.Spiral(99);
            using (var snapshot = WeightSnapshot.Of(parent, "parent")) snapshot.LoadInto(copy);
            NoisySubnetwork.Mutate(copy, best.Sigma, new MaskOptions { Sparsity = best.Sparsity }, TrustRegionSearch.DrawSeed(options.Seed, g, d));
            using var childLogits = Predict.Logits(copy, validation);
            kl += BruteForceKl(parentLogits, childLogits);
        }
        Assert.Equal(kl / options.Draws, best.MeanKl, 6);
    }

    [Fact]
    public void TrustRegionSearchRejectsWhenNoSettingFits()
    {
        using var validation = SubnetFixtures.SpiralData(30, seed: 5);
        using var parent = SubnetFixtures.Spiral();
        var result = TrustRegionSearch.Run(parent, validation, new TrustRegionOptions { Strengths = [2.0], Sparsities = [0.0], Bound = 1e-9, Draws = 1 });
        Assert.Empty(result.Accepted);
        Assert.Null(result.Best);
        var e = Assert.Throws<InvalidOperationException>(() => result.Require());
        Assert.Contains("bound 1E-09", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrustRegionSearch.Run(parent, validation, new TrustRegionOptions { Sparsities = [1.0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrustRegionSearch.Run(parent, validation, new TrustRegionOptions { Bound = 0 }));
    }

    [Fact]
    public void EnsembleKeepsTheTopCandidatesByValidationAccuracy()
    {
        using var data = SubnetFixtures.SpiralData(100, seed: 2);
        var (train, validation) = data.Split(60, seed: 0);
        using var _t = train;
        using var _v = validation;
        using var parent = SubnetFixtures.Spiral();
        new Trainer(SubnetFixtures.Quick with { Epochs = 5 }).Fit(parent, train);
        var options = new NoisySubnetworkOptions { Sigma = 0.3, Candidates = 6, Members = 3, Mirrored = true, Seed = 1 };
        using var ensemble = NoisySubnetworkEnsemble.Build(parent, () => SubnetFixtures.Spiral(5), validation, options);
        Assert.Equal(3, ensemble.Count);
        Assert.Equal(6, ensemble.Candidates.Count);
        Assert.Equal([0, 0, 1, 1, 2, 2], ensemble.Candidates.Select(c => c.Draw));
        Assert.Equal([1, -1, 1, -1, 1, -1], ensemble.Candidates.Select(c => c.Sign));
        var selected = ensemble.Candidates.Where(c => c.Selected).ToList();
        Assert.Equal(3, selected.Count);
        Assert.True(selected.Min(c => c.ValidationAccuracy) >= ensemble.Candidates.Where(c => !c.Selected).Max(c => c.ValidationAccuracy));
        // members are ordinary models, best first
        using var logits = ensemble.MemberLogits(validation, parent);
        Assert.Equal(new long[] { 4, 60, 2 }, logits.shape);
        var accuracies = Enumerable.Range(1, 3).Select(m => { using var l = logits[m]; return EnsembleKit.Metrics.Metric.Accuracy(l, validation.Targets); }).ToList();
        Assert.Equal(selected.Select(c => c.ValidationAccuracy).OrderByDescending(a => a), accuracies);
        // noise leaves the children dense
        Assert.All(ensemble.Report(parent).Children, c => Assert.Equal(c.Parameters, c.NonZero));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoisySubnetworkEnsemble.Build(parent, () => SubnetFixtures.Spiral(), validation, options with { Members = 7 }));
    }

    [Fact]
    public void TrustRegionGridIsIndexedBySparsityThenStrength()
    {
        // Points in the search's order (sparsity-major, then strength); the value is 10 * row + column.
        var points = new List<TrustRegionPoint>();
        double[] sparsities = [0.0, 0.5, 0.9], strengths = [0.02, 0.01];
        for (int i = 0; i < sparsities.Length; i++)
            for (int j = 0; j < strengths.Length; j++)
                points.Add(new TrustRegionPoint(strengths[j], sparsities[i], MeanKl: 10 * i + j, MeanSquaredDifference: 0, MeanAccuracy: 0.5, WithinBound: true));
        var result = new TrustRegionResult(points, Bound: 100, ParentAccuracy: 0.5);
        Assert.Equal(sparsities, result.Sparsities);
        Assert.Equal(strengths, result.Strengths);
        var grid = result.Grid(p => p.MeanKl);
        Assert.Equal(3, grid.GetLength(0));
        Assert.Equal(2, grid.GetLength(1));
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) Assert.Equal(10 * i + j, grid[i, j]);
        Assert.Equal(21, result.At(0.9, 0.01).MeanKl);
        var missing = Assert.Throws<ArgumentException>(() => result.At(0.7, 0.01));
        Assert.Contains("0.7", missing.Message);
    }

    /// <summary>A hand grid: parent 90 % accurate; at sparsity 0 the children lose 0.5, 2 and 30 points as sigma grows, at
    /// sparsity 0.9 0, 0.8 and 5 points.</summary>
    static TrustRegionResult HandGrid() => new(
    [
        new(0.01, 0.0, MeanKl: 0.01, MeanSquaredDifference: 0, MeanAccuracy: 0.895, WithinBound: true),
        new(0.05, 0.0, MeanKl: 0.20, MeanSquaredDifference: 0, MeanAccuracy: 0.88, WithinBound: false),
        new(0.20, 0.0, MeanKl: 3.00, MeanSquaredDifference: 0, MeanAccuracy: 0.60, WithinBound: false),
        new(0.01, 0.9, MeanKl: 0.00, MeanSquaredDifference: 0, MeanAccuracy: 0.90, WithinBound: true),
        new(0.05, 0.9, MeanKl: 0.05, MeanSquaredDifference: 0, MeanAccuracy: 0.892, WithinBound: false),
        new(0.20, 0.9, MeanKl: 0.40, MeanSquaredDifference: 0, MeanAccuracy: 0.85, WithinBound: false),
    ], Bound: 0.02, ParentAccuracy: 0.90);

    [Fact]
    public void ToleratedSigmaIsTheLargestStrengthWithinTheDrop()
    {
        var grid = HandGrid();
        Assert.Equal(0.01, grid.ToleratedSigma(0.0));                    // 0.5 points lost; 2 at 0.05 is too many
        Assert.Equal(0.05, grid.ToleratedSigma(0.9));                    // 0.8 points lost at 0.05
        Assert.Equal(0.20, grid.ToleratedSigma(0.9, maxDropPoints: 5));
        Assert.Equal(0.0, grid.ToleratedSigma(0.0, maxDropPoints: 0.1)); // none: 0
        Assert.Equal(30.0, grid.AccuracyDrop(grid.At(0.0, 0.20)), 9);
        Assert.Equal([0.01, 0.05, 0.20], grid.AtSparsity(0.9).Select(p => p.Sigma));
        Assert.Contains("0.5", Assert.Throws<ArgumentException>(() => grid.AtSparsity(0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.ToleratedSigma(0.0, maxDropPoints: -1));
    }

    [Fact]
    public void KlDropCorrelationIsPearsonOverTheModeratePoints()
    {
        var grid = HandGrid();
        var (r, count) = grid.KlDropCorrelation(maxKl: 0.5);
        Assert.Equal(5, count);
        // by hand: x = KL (0.01, 0.20, 0.00, 0.05, 0.40), y = drop (0.5, 2, 0, 0.8, 5); Python's statistics.correlation gives 0.98926488
        Assert.Equal(0.98926488, r, 6);
        Assert.Equal(1, grid.KlDropCorrelation(maxKl: 0.005).Points);
        Assert.True(double.IsNaN(grid.KlDropCorrelation(maxKl: 0.005).Pearson));
    }

    [Fact]
    public void ScoresBesideTheParentMatchAHandComputation()
    {
        using var data = SubnetFixtures.SpiralData(100, seed: 2);
        var (train, validation) = data.Split(60, seed: 0);
        using var _t = train;
        using var _v = validation;
        using var parent = SubnetFixtures.Spiral();
        Trainer.Train(parent, train, SubnetFixtures.Quick with { Epochs = 5 });
        var options = new NoisySubnetworkOptions { Sigma = 0.3, Candidates = 6, Members = 3, Mirrored = true, Seed = 1 };
        using var ensemble = NoisySubnetworkEnsemble.Build(parent, () => SubnetFixtures.Spiral(5), validation, options);
        // Scored on the validation split, where Build measured each candidate's accuracy independently.
        var scores = SubnetworkScores.Evaluate(ensemble, parent, validation);
        Assert.Equal(["parent", "member 1", "member 2", "member 3",
            "parent + members, MeanLogits", "parent + members, MeanProbabilities", "parent + members, MajorityVote",
            "members only, MeanLogits", "members only, MeanProbabilities", "members only, MajorityVote"], scores.Reports.Select(r => r.Name));
        var selected = ensemble.Candidates.Where(c => c.Selected).Select(c => c.ValidationAccuracy).OrderByDescending(a => a).ToList();
        Assert.Equal(selected, scores.Reports.Skip(1).Take(3).Select(r => r.Accuracy));
        Assert.Equal(selected.Average(), scores.MeanMemberAccuracy, 12);

        using var parentLogits = Predict.Logits(parent, validation);
        var childLogits = ensemble.Children.Select(c => Predict.Logits(c, validation)).ToList();
        Assert.Equal(Metric.Accuracy(parentLogits, validation.Targets), scores.Parent.Accuracy, 12);
        // Algorithm 1: softmax of the mean of the parent's and the members' logits.
        using var all = stack(childLogits.Prepend(parentLogits).ToList(), 0);
        using var mean = all.mean([0]);
        double algorithm1 = Metric.Accuracy(mean, validation.Targets);
        Assert.Equal(algorithm1, scores.Algorithm1.Accuracy, 12);
        Assert.Equal(algorithm1 - scores.Parent.Accuracy, scores.VersusParent.Difference, 12);
        Assert.Equal(validation.Count, scores.VersusParent.Count);
        Assert.Equal(childLogits.Average(l => TrustRegionSearch.MeanKl(parentLogits, l)), scores.MeanMemberKl, 6);
        Assert.True(scores.MeanMemberKl > 0, "noisy members differ from the parent");
        foreach (var l in childLogits) l.Dispose();
        Assert.Throws<ArgumentNullException>(() => SubnetworkScores.Evaluate(ensemble, null!, validation));
    }
}
