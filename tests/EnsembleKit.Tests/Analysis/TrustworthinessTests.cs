using EnsembleKit.Analysis;

namespace EnsembleKit.Tests.Analysis;

public class TrustworthinessTests
{
    [Fact]
    public void HandComputedValue()
    {
        // Six points on a line, X = 0, 1, 3, 7, 12, 20; the embedding swaps points 2 and 5: Y = 0, 1, 20, 7, 12, 3. k = 2.
        // i | embedded 2-NN | their ranks by |X_i - X_j| | penalty Σ max(0, r - 2)
        // 0 | 1, 5          | 1, 5                        | 3
        // 1 | 0, 5          | 1, 5                        | 3
        // 2 | 4, 3          | 4, 3   (X: 1@2, 0@3, 3@4, 4@9, 5@17)   | 3
        // 3 | 5, 4          | 5, 2   (X: 2@4, 4@5, 1@6, 0@7, 5@13)   | 3
        // 4 | 3, 2          | 1, 3   (X: 3@5, 5@8, 2@9, 1@11, 0@12)  | 1
        // 5 | 1, 0          | 4, 5                        | 5
        // total 18; T = 1 - 18 · 2 / (n k (2n - 3k - 1)) = 1 - 36 / (6·2·5) = 0.4
        double[,] x = { { 0 }, { 1 }, { 3 }, { 7 }, { 12 }, { 20 } };
        double[,] y = { { 0 }, { 1 }, { 20 }, { 7 }, { 12 }, { 3 } };
        Assert.Equal(0.4, Trustworthiness.Score(x, y, 2), 12);
        Assert.Equal(1.0, Trustworthiness.Score(x, x, 2), 12);
    }

    [Fact]
    public void IdentityAndSimilarityTransformsScoreOne()
    {
        var x = TsneFixtures.Random(80, 6, seed: 20);
        Assert.Equal(1.0, Trustworthiness.Score(x, x, 7), 12);
        // Rotating (swap + sign flip of coordinates), scaling and shifting keep every neighbourhood.
        var moved = new double[80, 6];
        for (int i = 0; i < 80; i++)
            for (int a = 0; a < 6; a++) moved[i, a] = -3 * x[i, (a + 2) % 6] + 5;
        Assert.Equal(1.0, Trustworthiness.Score(x, moved, 7), 12);
    }

    [Fact]
    public void MatchesABruteForceRankComputation()
    {
        // scikit-learn's algorithm: full argsort of input distances into an inverted rank index.
        var x = TsneFixtures.Random(60, 5, seed: 21);
        var y = TsneFixtures.Random(60, 2, seed: 22);
        for (int i = 0; i < 60; i++) { y[i, 0] += 0.5 * x[i, 0]; y[i, 1] += 0.5 * x[i, 1]; }
        foreach (int k in new[] { 1, 5, 12, 29 })
        {
            int n = 60;
            double t = 0;
            for (int i = 0; i < n; i++)
            {
                var byX = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Dist(x, i, j)).ThenBy(j => j).ToList();
                var byY = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Dist(y, i, j)).ThenBy(j => j).Take(k);
                t += byY.Sum(j => Math.Max(0, byX.IndexOf(j) + 1 - k));
            }
            double expected = 1 - t * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0));
            Assert.Equal(expected, Trustworthiness.Score(x, y, k), 12);
        }
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var x = TsneFixtures.Random(10, 3, seed: 23);
        Assert.Throws<ArgumentException>(() => Trustworthiness.Score(x, TsneFixtures.Random(9, 2, seed: 1), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Score(x, x, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trustworthiness.Score(x, x, 0));
        var y = TsneFixtures.Random(10, 2, seed: 2);
        y[4, 1] = double.PositiveInfinity;
        Assert.Contains("row 4", Assert.Throws<ArgumentException>(() => Trustworthiness.Score(x, y, 2)).Message);
    }

    static double Dist(double[,] p, int i, int j)
    {
        double s = 0;
        for (int a = 0; a < p.GetLength(1); a++) s += (p[i, a] - p[j, a]) * (p[i, a] - p[j, a]);
        return s;
    }
}
