using EnsembleKit.WeightSpace;

namespace EnsembleKit.Tests.WeightSpace;

public class LinearAssignmentTests
{
    static IEnumerable<int[]> AllPermutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in AllPermutations(n - 1))
            for (int position = 0; position <= rest.Length; position++)
            {
                var p = new List<int>(rest);
                p.Insert(position, n - 1);
                yield return p.ToArray();
            }
    }

    [Fact]
    public void KnownThreeByThree()
    {
        // Rows to columns 1, 0, 2 cost 1 + 2 + 2 = 5; every other assignment costs more (checked by enumeration below).
        double[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        var p = LinearAssignment.Solve(cost);
        Assert.Equal(new[] { 1, 0, 2 }, p);
        Assert.Equal(5, LinearAssignment.Total(cost, p));
        // Maximising: 4 + 5 + 2 = 11 (rows to 0, 2, 1 gives 4 + 5 + 2 = 11; 3 + 2 + 3 = 8; ...).
        Assert.Equal(11, LinearAssignment.Total(cost, LinearAssignment.Solve(cost, maximize: true)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    public void MatchesBruteForceOnRandomMatrices(int n)
    {
        var random = new Random(n);
        for (int trial = 0; trial < 20; trial++)
        {
            var cost = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    cost[i, j] = trial % 2 == 0 ? random.Next(0, 5) : random.NextDouble() * 20 - 10; // ties and reals
            double best = AllPermutations(n).Min(p => LinearAssignment.Total(cost, p));
            double worst = AllPermutations(n).Max(p => LinearAssignment.Total(cost, p));
            var solved = LinearAssignment.Solve(cost);
            Assert.Equal(n, solved.Distinct().Count());
            Assert.Equal(best, LinearAssignment.Total(cost, solved), 9);
            Assert.Equal(worst, LinearAssignment.Total(cost, LinearAssignment.Solve(cost, maximize: true)), 9);
        }
    }

    [Fact]
    public void RecoversAHiddenPermutationAtSize256()
    {
        // cost[i, j] = 0 on a hidden permutation and at least 1 elsewhere: the hidden permutation is the unique optimum.
        int n = 256;
        var random = new Random(3);
        var hidden = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var cost = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) cost[i, j] = j == hidden[i] ? 0 : 1 + random.NextDouble();
        Assert.Equal(hidden, LinearAssignment.Solve(cost));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => LinearAssignment.Solve(new double[2, 3])).Message);
        var nan = new double[2, 2];
        nan[1, 0] = double.NaN;
        Assert.Contains("cost[1, 0]", Assert.Throws<ArgumentException>(() => LinearAssignment.Solve(nan)).Message);
        Assert.Empty(LinearAssignment.Solve(new double[0, 0]));
    }
}
