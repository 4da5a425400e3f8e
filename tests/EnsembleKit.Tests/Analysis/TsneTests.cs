using EnsembleKit.Analysis;

namespace EnsembleKit.Tests.Analysis;

public class TsneTests
{
    [Theory]
    [InlineData(5.0)]
    [InlineData(30.0)]
    public void PerplexityCalibrationHitsTheTargetEntropy(double perplexity)
    {
        // Each conditional p_.|i must have entropy log2(perplexity) bits (search tolerance 1e-5 nats ≈ 1.4e-5 bits).
        var x = TsneFixtures.Flat(TsneFixtures.Random(120, 6, seed: 1));
        int n = 120, d = 6;
        var distances = new double[n - 1];
        var p = new double[n - 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0, m = 0; j < n; j++)
                if (j != i) distances[m++] = x.Skip(i * d).Take(d).Zip(x.Skip(j * d).Take(d), (a, b) => (a - b) * (a - b)).Sum();
            double beta = PerplexitySearch.Calibrate(distances, perplexity, p);
            Assert.True(beta > 0);
            Assert.Equal(1.0, p.Sum(), 12);
            double bits = -p.Where(v => v > 0).Sum(v => v * Math.Log2(v));
            Assert.Equal(Math.Log2(perplexity), bits, tolerance: 1e-4);
            // p is a Gaussian kernel: closer points get more mass.
            int nearest = Array.IndexOf(distances, distances.Min()), farthest = Array.IndexOf(distances, distances.Max());
            Assert.True(p[nearest] > p[farthest]);
        }
    }

    [Fact]
    public void CalibrationSurvivesLargeDistances()
    {
        // Squared distances of 1e6 would underflow exp(-d) without the shift by the minimum.
        double[] distances = [1e6, 1e6 + 1, 1e6 + 2, 1e6 + 5, 1e6 + 9, 1e6 + 20];
        var p = new double[distances.Length];
        PerplexitySearch.Calibrate(distances, 3, p);
        Assert.Equal(Math.Log2(3), -p.Sum(v => v * Math.Log2(v)), tolerance: 1e-4);
    }

    [Fact]
    public void JointProbabilitiesAreSymmetricAndSumToOne()
    {
        var x = TsneFixtures.Flat(TsneFixtures.Random(40, 3, seed: 2));
        var dense = TsneAffinities.Dense(x, 40, 3, perplexity: 8);
        Assert.Equal(1.0, dense.Sum(), 10);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(0, dense[i * 40 + i]);
            for (int j = 0; j < 40; j++) Assert.Equal(dense[i * 40 + j], dense[j * 40 + i], 15);
        }
        var sparse = TsneAffinities.Sparse(x, 40, 3, perplexity: 8);
        Assert.Equal(1.0, sparse.Values.Sum(), 10);
        Assert.Equal(25, TsneAffinities.NeighbourCount(40, 8));
        for (int i = 0; i < 40; i++)
            for (int e = sparse.RowStart[i]; e < sparse.RowStart[i + 1]; e++)
            {
                int j = sparse.Columns[e];
                int back = Array.IndexOf(sparse.Columns, i, sparse.RowStart[j], sparse.RowStart[j + 1] - sparse.RowStart[j]);
                Assert.True(back >= 0, $"P[{i},{j}] has no mirror entry");
                Assert.Equal(sparse.Values[e], sparse.Values[back], 15);
            }
    }

    [Fact]
    public void ExactGradientMatchesFiniteDifferencesOfTheKl()
    {
        const int n = 8, dims = 2;
        var x = TsneFixtures.Flat(TsneFixtures.Random(n, 4, seed: 3));
        var p = TsneAffinities.Dense(x, n, 4, perplexity: 2);
        var y = TsneFixtures.Flat(TsneFixtures.Random(n, dims, seed: 4));
        var gradient = new double[n * dims];
        var scratch = new double[n * dims];
        double Kl(double[] at) => TsneGradient.Exact(p, at, n, dims, 1, new double[n * dims], new double[n * dims], computeKl: true);
        double kl = TsneGradient.Exact(p, y, n, dims, 1, gradient, scratch, computeKl: true);
        // KL from its definition, independently: Σ_{i≠j} p ln(p / q), q = w / Σw.
        double z = 0, direct = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) z += 1 / (1 + Sq(y, i, j));
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) direct += p[i * n + j] * Math.Log(p[i * n + j] / (1 / (1 + Sq(y, i, j)) / z));
        Assert.Equal(direct, kl, 12);
        const double h = 1e-6;
        for (int e = 0; e < y.Length; e++)
        {
            var plus = (double[])y.Clone(); plus[e] += h;
            var minus = (double[])y.Clone(); minus[e] -= h;
            double numeric = (Kl(plus) - Kl(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[e]) < 1e-7 + 1e-5 * Math.Abs(numeric), $"coordinate {e}: analytic {gradient[e]}, numeric {numeric}");
        }
        // Exaggeration multiplies only the attractive (P) term.
        var exaggerated = new double[n * dims];
        TsneGradient.Exact(p, y, n, dims, 12, exaggerated, scratch, computeKl: false);
        var attraction = new double[n * dims];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j)
                    for (int a = 0; a < dims; a++)
                        attraction[i * dims + a] += 4 * p[i * n + j] / (1 + Sq(y, i, j)) * (y[i * dims + a] - y[j * dims + a]);
        for (int e = 0; e < y.Length; e++) Assert.Equal(gradient[e] + 11 * attraction[e], exaggerated[e], 10);
    }

    [Fact]
    public void ExactGradientInThreeDimensionsMatchesFiniteDifferences()
    {
        const int n = 8, dims = 3;
        var x = TsneFixtures.Flat(TsneFixtures.Random(n, 4, seed: 5));
        var p = TsneAffinities.Dense(x, n, 4, perplexity: 2);
        var y = TsneFixtures.Flat(TsneFixtures.Random(n, dims, seed: 6));
        var gradient = new double[n * dims];
        TsneGradient.Exact(p, y, n, dims, 1, gradient, new double[n * dims], computeKl: false);
        const double h = 1e-6;
        for (int e = 0; e < y.Length; e++)
        {
            var plus = (double[])y.Clone(); plus[e] += h;
            var minus = (double[])y.Clone(); minus[e] -= h;
            double numeric = (TsneGradient.Exact(p, plus, n, dims, 1, new double[n * dims], new double[n * dims], true)
                - TsneGradient.Exact(p, minus, n, dims, 1, new double[n * dims], new double[n * dims], true)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[e]) < 1e-7 + 1e-5 * Math.Abs(numeric), $"coordinate {e}: analytic {gradient[e]}, numeric {numeric}");
        }
    }

    [Fact]
    public void BarnesHutWithThetaZeroIsTheExactGradient()
    {
        // With every point a neighbour (k = n - 1) the sparse P equals the dense one (up to the 1e-16 floor), and
        // theta = 0 opens every cell, so the two gradients must agree; theta = 0.5 stays close.
        const int n = 60;
        var x = TsneFixtures.Flat(TsneFixtures.Random(n, 5, seed: 7));
        var dense = TsneAffinities.Dense(x, n, 5, perplexity: 20);
        var sparse = TsneAffinities.Sparse(x, n, 5, perplexity: 20);
        Assert.Equal(n * (n - 1), sparse.Values.Length);
        var y = TsneFixtures.Flat(TsneFixtures.Random(n, 2, seed: 8));
        var exact = new double[2 * n];
        double klExact = TsneGradient.Exact(dense, y, n, 2, 4, exact, new double[2 * n], true);
        var bh = new double[2 * n];
        double klBh = TsneGradient.BarnesHut(sparse, y, n, 4, 0, new QuadTree(), bh, new double[2 * n], true);
        for (int e = 0; e < 2 * n; e++) Assert.Equal(exact[e], bh[e], 9);
        Assert.Equal(klExact, klBh, 9);
        var approx = new double[2 * n];
        TsneGradient.BarnesHut(sparse, y, n, 1, 0.5, new QuadTree(), approx, new double[2 * n], false);
        TsneGradient.Exact(dense, y, n, 2, 1, exact, new double[2 * n], false);
        double error = Math.Sqrt(approx.Zip(exact, (a, b) => (a - b) * (a - b)).Sum()), norm = Math.Sqrt(exact.Sum(v => v * v));
        Assert.True(error < 0.05 * norm, $"relative BH error {error / norm}");
    }

    [Fact]
    public void QuadTreeHandlesCoincidentPoints()
    {
        // Four points at one spot and one elsewhere: the duplicates share a depth-limited leaf and must not repel each other.
        double[] y = [1, 1, 1, 1, 1, 1, 1, 1, 3, 1];
        var tree = new QuadTree();
        tree.Build(y, 5);
        Span<int> stack = stackalloc int[3 * QuadTree.MaxDepth + 8];
        double z = tree.Repulsion(0, 1, 1, 0, stack, out double fx, out double fy);
        // Three coincident points (w = 1 each) and one at distance 2 (w = 1/5, force w² · (1 - 3) = -2/25).
        Assert.Equal(3 + 0.2, z, 12);
        Assert.Equal(-2.0 / 25, fx, 12);
        Assert.Equal(0, fy, 12);
    }

    [Theory]
    [InlineData(TsneMethod.Exact)]
    [InlineData(TsneMethod.BarnesHut)]
    public void WellSeparatedClustersStaySeparated(TsneMethod method)
    {
        var (data, labels) = TsneFixtures.Clusters(3, 60, 5, separation: 12, seed: 9);
        var result = Tsne.Run(data, new TsneOptions { Method = method, Seed = 1 });
        Assert.Equal(method, result.Method);
        var y = result.Embedding;
        Assert.Equal(new[] { 180, 2 }, new[] { y.GetLength(0), y.GetLength(1) });
        Assert.Equal(1.0, NeighbourAgreement(y, labels));
        // Centroids are far apart relative to each cluster's RMS radius.
        var centroids = new (double X, double Y)[3];
        var radius = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var members = Enumerable.Range(0, 180).Where(i => labels[i] == c).ToArray();
            centroids[c] = (members.Average(i => y[i, 0]), members.Average(i => y[i, 1]));
            radius[c] = Math.Sqrt(members.Average(i => Math.Pow(y[i, 0] - centroids[c].X, 2) + Math.Pow(y[i, 1] - centroids[c].Y, 2)));
        }
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++)
            {
                double distance = Math.Sqrt(Math.Pow(centroids[a].X - centroids[b].X, 2) + Math.Pow(centroids[a].Y - centroids[b].Y, 2));
                Assert.True(distance > 4 * Math.Max(radius[a], radius[b]), $"clusters {a},{b}: centroid distance {distance}, radii {radius[a]}, {radius[b]}");
            }
        Assert.True(result.KlDivergence is > 0 and < 1.5, $"KL {result.KlDivergence}");
    }

    [Fact]
    public void BarnesHutAndExactAreEquallyTrustworthy()
    {
        var (data, _) = TsneFixtures.Clusters(4, 40, 10, separation: 3, seed: 10);
        var options = new TsneOptions { Seed = 2, Iterations = 400, Perplexity = 20 };
        double exact = Trustworthiness.Score(data, Tsne.Fit(data, options with { Method = TsneMethod.Exact }), 10);
        double bh = Trustworthiness.Score(data, Tsne.Fit(data, options with { Method = TsneMethod.BarnesHut }), 10);
        Assert.True(exact > 0.85 && bh > 0.85, $"exact {exact}, BH {bh}");
        Assert.True(Math.Abs(exact - bh) < 0.02, $"exact {exact}, BH {bh}");
        // A random embedding is far less trustworthy (the score measures something).
        Assert.True(Trustworthiness.Score(data, TsneFixtures.Random(160, 2, seed: 11), 10) < exact - 0.2);
    }

    [Fact]
    public void SameSeedSameEmbeddingDifferentSeedDifferent()
    {
        var (data, _) = TsneFixtures.Clusters(3, 40, 4, separation: 6, seed: 12);
        foreach (var method in new[] { TsneMethod.Exact, TsneMethod.BarnesHut })
        {
            var options = new TsneOptions { Method = method, Seed = 5, Iterations = 300, Perplexity = 10 };
            var a = Tsne.Fit(data, options);
            var b = Tsne.Fit(data, options);
            Assert.Equal(TsneFixtures.Flat(a), TsneFixtures.Flat(b));
            Assert.NotEqual(TsneFixtures.Flat(a), TsneFixtures.Flat(Tsne.Fit(data, options with { Seed = 6 })));
        }
        var pca = new TsneOptions { PcaInitialization = true, Iterations = 300, Perplexity = 10 };
        Assert.Equal(TsneFixtures.Flat(Tsne.Fit(data, pca)), TsneFixtures.Flat(Tsne.Fit(data, pca)));
    }

    [Fact]
    public void PcaScoresFollowTheMainAxis()
    {
        // Points spread along (3, 4, 0)/5 with std 10, small noise elsewhere: the first score is the projection on that axis.
        var random = new Random(13);
        const int n = 200;
        var x = new double[n * 3];
        var t = new double[n];
        for (int i = 0; i < n; i++)
        {
            t[i] = 10 * TsneFixtures.Normal(random) + 7;
            x[3 * i] = 0.6 * t[i] + 0.1 * TsneFixtures.Normal(random);
            x[3 * i + 1] = 0.8 * t[i] + 0.1 * TsneFixtures.Normal(random) - 3;
            x[3 * i + 2] = 0.1 * TsneFixtures.Normal(random) + 2;
        }
        var scores = Pca.Scores(x, n, 3, 2, seed: 0);
        double mean = t.Average();
        double corr = Correlation(Enumerable.Range(0, n).Select(i => scores[2 * i]).ToArray(), t);
        Assert.True(Math.Abs(corr) > 0.999, $"correlation {corr}");
        Assert.Equal(0, Enumerable.Range(0, n).Average(i => scores[2 * i]), 9);
        // Second component carries only the noise.
        double var2 = Enumerable.Range(0, n).Average(i => scores[2 * i + 1] * scores[2 * i + 1]);
        Assert.True(var2 < 0.05, $"second component variance {var2}");
    }

    [Fact]
    public void PcaScoresMatchAHandComputedDecomposition()
    {
        // Centred, the points lie on the x axis (x = 3, -1, -2, 0, 0: variance 14) and the y axis (y = 0.2, 0.6, 0, 1, -1.8:
        // variance 4.64, orthogonal to x), z constant: the scores are the coordinates themselves, signs flipped so that the
        // largest |score| of each component is positive (scikit-learn's svd_flip): x as it is, y negated (its largest is -1.8).
        double[] xs = [3, -1, -2, 0, 0], ys = [0.2, 0.6, 0, 1, -1.8];
        var data = new double[5 * 3];
        for (int i = 0; i < 5; i++) (data[3 * i], data[3 * i + 1], data[3 * i + 2]) = (xs[i] + 5, ys[i] - 2, 7);
        var scores = Pca.Scores(data, 5, 3, 2, seed: 0);
        double[] expected = [3, -0.2, -1, -0.6, -2, 0, 0, -1, 0, 1.8];
        Assert.Equal(expected.Length, scores.Length);
        for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], scores[e], 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Scores(data, 5, 3, 4, seed: 0));
    }

    [Fact]
    public void PcaStartOfPointsOnALineStillUsesTheSecondAxis()
    {
        // Rank-1 data: PCA finds no second component, and points equal along an axis would stay equal along it (the
        // gradient there is zero), leaving a 1-D embedding. That axis starts random instead.
        const int n = 12;
        var data = new double[n, 3];
        for (int i = 0; i < n; i++) (data[i, 0], data[i, 1], data[i, 2]) = (i, 2.0 * i + 1, -0.5 * i);
        var embedding = Tsne.Fit(data, new TsneOptions { PcaInitialization = true, Perplexity = 3, Iterations = 250 });
        var second = Enumerable.Range(0, n).Select(i => embedding[i, 1]).ToList();
        Assert.True(second.Max() - second.Min() > 1e-3, $"second axis spread {second.Max() - second.Min()}");
        Assert.Equal(TsneFixtures.Flat(embedding), TsneFixtures.Flat(Tsne.Fit(data, new TsneOptions { PcaInitialization = true, Perplexity = 3, Iterations = 250 })));
    }

    [Fact]
    public void ProgressIsReportedWithTheKl()
    {
        var (data, _) = TsneFixtures.Clusters(3, 30, 4, separation: 8, seed: 14);
        var reports = new List<TsneProgress>();
        var result = Tsne.Run(data, new TsneOptions { Perplexity = 10, Iterations = 300, ProgressInterval = 100, Progress = reports.Add });
        Assert.Equal([100, 200, 300], reports.Select(r => r.Iteration));
        Assert.Equal([true, true, false], reports.Select(r => r.Exaggerated));
        Assert.True(reports[^1].KlDivergence < reports[0].KlDivergence);
        Assert.Equal(reports[^1].KlDivergence, result.KlDivergence, 2);
        // "auto" learning rate: max(N / 12 / 4, 50) = 50 for 90 points.
        Assert.Equal(50, result.LearningRate);
        Assert.Equal(TsneMethod.Exact, result.Method);
    }

    [Fact]
    public void BadInputIsRejectedWithSpecificErrors()
    {
        var data = TsneFixtures.Random(50, 3, seed: 15);
        var tooFew = Assert.Throws<ArgumentException>(() => Tsne.Fit(data));
        Assert.Contains("3 × perplexity = 90", tooFew.Message);
        Assert.Contains("50 rows", tooFew.Message);
        data[17, 2] = double.NaN;
        var nan = Assert.Throws<ArgumentException>(() => Tsne.Fit(data, new TsneOptions { Perplexity = 5 }));
        Assert.Contains("row 17", nan.Message);
        data[17, 2] = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Fit(data, new TsneOptions { Perplexity = 5, Method = TsneMethod.BarnesHut, Dimensions = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Fit(data, new TsneOptions { Perplexity = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Fit(data, new TsneOptions { Perplexity = 5, LearningRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tsne.Fit(data, new TsneOptions { Perplexity = 5, Iterations = 0 }));
        Assert.Throws<ArgumentException>(() => Tsne.Fit(new double[0, 3]));
        // Three dimensions work with the exact method.
        Assert.Equal(3, Tsne.Fit(data, new TsneOptions { Perplexity = 5, Dimensions = 3, Iterations = 50 }).GetLength(1));
    }

    static double Sq(double[] y, int i, int j) => Math.Pow(y[2 * i] - y[2 * j], 2) + Math.Pow(y[2 * i + 1] - y[2 * j + 1], 2);

    static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b, (u, v) => (u - ma) * (v - mb)).Sum();
        return cov / Math.Sqrt(a.Sum(u => (u - ma) * (u - ma)) * b.Sum(v => (v - mb) * (v - mb)));
    }

    static double NeighbourAgreement(double[,] y, int[] labels)
    {
        int n = y.GetLength(0), same = 0;
        for (int i = 0; i < n; i++)
        {
            int best = Enumerable.Range(0, n).Where(j => j != i)
                .MinBy(j => Math.Pow(y[i, 0] - y[j, 0], 2) + Math.Pow(y[i, 1] - y[j, 1], 2));
            if (labels[best] == labels[i]) same++;
        }
        return (double)same / n;
    }
}
