namespace EnsembleKit.Experiments;

/// <summary>
/// The test accuracies (%) of the five methods a <see cref="MultiViewComparison.Run"/> scores on one data set, read from
/// its rows by <see cref="Of"/>: what seed 003's claims and table compare.
/// </summary>
/// <param name="Single">The single models' mean.</param>
/// <param name="Ensemble">Their ensemble.</param>
/// <param name="Sum">The sum of as many models trained jointly.</param>
/// <param name="Distilled">Knowledge distillation from the ensemble.</param>
/// <param name="SelfDistilled">Self-distillation from the first model.</param>
public sealed record MultiViewAccuracies(double Single, double Ensemble, double Sum, double Distilled, double SelfDistilled)
{
    /// <summary>The ensemble's gain over the single model, in points.</summary>
    public double EnsembleGain => Ensemble - Single;

    /// <summary>The share of the single model's test error that the ensemble removes: gain / (100 − single).</summary>
    public double ErrorRemoved => EnsembleGain / (100 - Single);

    /// <summary>The accuracies on <paramref name="data"/> (a <see cref="MultiViewComparisonRow.Data"/> name) in <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">A method is missing on <paramref name="data"/>; the message lists the rows there are.</exception>
    public static MultiViewAccuracies Of(IEnumerable<MultiViewComparisonRow> rows, string data)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(data);
        var list = rows.ToList();
        double Accuracy(string prefix) =>
            list.FirstOrDefault(r => r.Data == data && r.Method.StartsWith(prefix, StringComparison.Ordinal))?.TestAccuracy
            ?? throw new ArgumentException($"no method starting with '{prefix}' on '{data}'; there are: {string.Join("; ", list.Select(r => $"{r.Data}: {r.Method}"))}.", nameof(rows));
        return new(Accuracy("single model (mean"), Accuracy("ensemble"), Accuracy("sum of"), Accuracy("knowledge"), Accuracy("self"));
    }
}
