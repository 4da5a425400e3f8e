namespace EnsembleKit.Subnetworks;

public sealed partial class SmallBudgetSummary
{
    /// <summary>
    /// SSE (NP) (the children-only row, method name starting "SSE (NP) (") against each of <paramref name="baselines"/>
    /// (method-name prefixes, <see cref="Accuracy"/>) on every data set in the order of <see cref="Rows"/>, data set by data
    /// set; a baseline in <paramref name="shownOnly"/> gets <see cref="SmallBudgetOutcome.Enforced"/> false.
    /// </summary>
    /// <exception cref="ArgumentException">A baseline or SSE (NP) is missing on a data set.</exception>
    public IReadOnlyList<SmallBudgetOutcome> SseNpVersus(IReadOnlyList<string> baselines, IReadOnlyCollection<string> shownOnly)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(shownOnly);
        const string sseNp = "SSE (NP) (";
        return Rows.Select(r => r.Data).Distinct().SelectMany(d =>
        {
            double sse = Accuracy(d, sseNp);
            return baselines.Select(b => (Baseline: b, Accuracy: Accuracy(d, b))).Select(b =>
                new SmallBudgetOutcome(d, b.Baseline, sse, b.Accuracy, Math.Round(sse - b.Accuracy, 2), sse > b.Accuracy, !shownOnly.Contains(b.Baseline)));
        }).ToList();
    }
}
