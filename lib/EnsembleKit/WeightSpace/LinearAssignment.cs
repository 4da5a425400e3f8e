namespace EnsembleKit.WeightSpace;

/// <summary>
/// Exact linear assignment: the permutation <c>p</c> minimising (or maximising) <c>sum_i cost[i, p[i]]</c> of a square
/// matrix: the Hungarian method in its shortest-augmenting-path form with dual potentials (Kuhn-Munkres as
/// Jonker and Volgenant 1987 organise it: one Dijkstra-like search per row), O(n^3) time, O(n) extra memory.
/// </summary>
public static class LinearAssignment
{
    /// <summary>Returns <c>p</c> with row <c>i</c> assigned to column <c>p[i]</c>.</summary>
    /// <param name="cost"><c>[n, n]</c>, finite values.</param>
    /// <param name="maximize">True to maximise the total instead (e.g. a similarity matrix).</param>
    public static int[] Solve(double[,] cost, bool maximize = false)
    {
        int n = cost.GetLength(0);
        if (cost.GetLength(1) != n) throw new ArgumentException($"the cost matrix must be square; got [{n}, {cost.GetLength(1)}].", nameof(cost));
        var c = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = cost[i, j];
                if (!double.IsFinite(v)) throw new ArgumentException($"cost[{i}, {j}] is {v}; every entry must be finite.", nameof(cost));
                c[i * n + j] = maximize ? -v : v;
            }
        return SolveFlat(c, n);
    }

    /// <summary>The total <c>sum_i cost[i, p[i]]</c> of an assignment.</summary>
    public static double Total(double[,] cost, IReadOnlyList<int> assignment)
    {
        double total = 0;
        for (int i = 0; i < assignment.Count; i++) total += cost[i, assignment[i]];
        return total;
    }

    /// <summary>Minimises over a row-major <c>n x n</c> cost array (not modified).</summary>
    internal static int[] SolveFlat(double[] c, int n)
    {
        if (n == 0) return [];
        // Dual potentials u (rows) and v (columns); rowOf[j] is the row assigned to column j (1-based, 0 = free).
        var u = new double[n + 1];
        var v = new double[n + 1];
        var rowOf = new int[n + 1];
        var way = new int[n + 1];
        var minSlack = new double[n + 1];
        var used = new bool[n + 1];
        for (int row = 1; row <= n; row++)
        {
            // Grow a shortest-path tree from the free row until it reaches a free column, then augment.
            rowOf[0] = row;
            int column0 = 0;
            Array.Fill(minSlack, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[column0] = true;
                int i0 = rowOf[column0], column1 = 0;
                double delta = double.PositiveInfinity;
                int rowOffset = (i0 - 1) * n;
                double ui0 = u[i0];
                for (int j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    double reduced = c[rowOffset + j - 1] - ui0 - v[j];
                    if (reduced < minSlack[j]) { minSlack[j] = reduced; way[j] = column0; }
                    if (minSlack[j] < delta) { delta = minSlack[j]; column1 = j; }
                }
                for (int j = 0; j <= n; j++)
                {
                    if (used[j]) { u[rowOf[j]] += delta; v[j] -= delta; }
                    else minSlack[j] -= delta;
                }
                column0 = column1;
            } while (rowOf[column0] != 0);
            do
            {
                int column1 = way[column0];
                rowOf[column0] = rowOf[column1];
                column0 = column1;
            } while (column0 != 0);
        }
        var assignment = new int[n];
        for (int j = 1; j <= n; j++) assignment[rowOf[j] - 1] = j - 1;
        return assignment;
    }
}
