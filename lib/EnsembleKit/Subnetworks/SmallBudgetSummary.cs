using EnsembleKit.Metrics;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// <see cref="SmallBudgetComparison"/> runs (several seeds, several data sets) summarised per data set and method, in the
/// order the rows first appear.
/// </summary>
public sealed partial class SmallBudgetSummary
{
    SmallBudgetSummary(IReadOnlyList<SmallBudgetSummaryRow> rows) => Rows = rows;

    public IReadOnlyList<SmallBudgetSummaryRow> Rows { get; }

    /// <summary>Groups every run's rows by data set and method and averages them (<see cref="SmallBudgetSummaryRow"/>).</summary>
    /// <exception cref="ArgumentException">No runs.</exception>
    public static SmallBudgetSummary Of(IEnumerable<SmallBudgetRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = runs.SelectMany(r => r.Rows).GroupBy(r => (r.Data, r.Method)).Select(g => new SmallBudgetSummaryRow(
            g.Key.Data, g.Key.Method, g.First().Members,
            Math.Round(g.Average(r => r.Accuracy), 2),
            Math.Round(SampleStatistics.StandardError(g.Select(r => r.Accuracy)), 2),
            Math.Round(g.Average(r => r.Nll), 4),
            Math.Round(g.Average(r => r.Ece), 4),
            Math.Round(g.Average(r => r.MemberAccuracy), 2))).ToList();
        if (rows.Count == 0) throw new ArgumentException("no runs to summarise.", nameof(runs));
        return new SmallBudgetSummary(rows);
    }

    /// <summary>The mean accuracy of the first method on <paramref name="data"/> whose name starts with <paramref name="methodPrefix"/>.</summary>
    /// <exception cref="ArgumentException">No such row; the message lists the methods there are.</exception>
    public double Accuracy(string data, string methodPrefix)
    {
        ArgumentNullException.ThrowIfNull(methodPrefix);
        var row = Rows.FirstOrDefault(r => r.Data == data && r.Method.StartsWith(methodPrefix, StringComparison.Ordinal));
        return row?.Accuracy ?? throw new ArgumentException(
            $"no method starting with '{methodPrefix}' on '{data}'; there are: {string.Join("; ", Rows.Select(r => $"{r.Data}: {r.Method}"))}.", nameof(methodPrefix));
    }
}
