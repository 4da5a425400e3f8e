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
        return Rows.Select(r => r.Data).Distinct().SelectMany(d => baselines.Select(b => new SmallBudgetOutcome(
            d, b, Accuracy(d, sseNp), Accuracy(d, b), Math.Round(Accuracy(d, sseNp) - Accuracy(d, b), 2),
            Accuracy(d, sseNp) > Accuracy(d, b), !shownOnly.Contains(b)))).ToList();
    }
}
