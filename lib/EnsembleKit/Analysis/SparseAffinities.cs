namespace EnsembleKit.Analysis;

/// <summary>
/// Symmetric t-SNE affinities P in compressed-sparse-row form: row i's entries are
/// <c>Columns[RowStart[i] .. RowStart[i+1])</c> with values <c>Values[...]</c>, columns increasing; all values sum to 1.
/// </summary>
internal sealed class SparseAffinities
{
    public int Count { get; }
    public int[] RowStart { get; }
    public int[] Columns { get; }
    public double[] Values { get; }

    SparseAffinities(int count, int[] rowStart, int[] columns, double[] values)
    {
        Count = count;
        RowStart = rowStart;
        Columns = columns;
        Values = values;
    }

    /// <summary>
    /// <c>P = (C + Cᵀ) / sum(C + Cᵀ)</c> for the conditional matrix C whose row i has the values
    /// <paramref name="conditional"/><c>[i*k .. i*k+k)</c> at columns <paramref name="neighbours"/><c>[i*k .. i*k+k)</c>.
    /// </summary>
    public static SparseAffinities Symmetrise(int n, int k, int[] neighbours, double[] conditional)
    {
        var counts = new int[n + 1];
        for (int i = 0; i < n; i++)
        {
            counts[i] += k;
            for (int e = i * k; e < i * k + k; e++) counts[neighbours[e]]++;
        }
        var start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + counts[i];
        var cols = new int[start[n]];
        var vals = new double[start[n]];
        var fill = (int[])start.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int e = i * k; e < i * k + k; e++)
            {
                int j = neighbours[e];
                cols[fill[i]] = j; vals[fill[i]++] = conditional[e];
                cols[fill[j]] = i; vals[fill[j]++] = conditional[e];
            }
        }
        // Sort each row by column and merge the duplicates (pairs that are neighbours both ways).
        var rowStart = new int[n + 1];
        int write = 0;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            Array.Sort(cols, vals, start[i], start[i + 1] - start[i]);
            rowStart[i] = write;
            for (int e = start[i]; e < start[i + 1]; e++)
            {
                if (write > rowStart[i] && cols[write - 1] == cols[e]) vals[write - 1] += vals[e];
                else { cols[write] = cols[e]; vals[write] = vals[e]; write++; }
                total += vals[e];
            }
        }
        rowStart[n] = write;
        total = Math.Max(total, double.Epsilon);
        var outCols = cols.AsSpan(0, write).ToArray();
        var outVals = new double[write];
        for (int e = 0; e < write; e++) outVals[e] = vals[e] / total;
        return new SparseAffinities(n, rowStart, outCols, outVals);
    }
}
