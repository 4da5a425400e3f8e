using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// An equal-budget comparison, one row a method: Method, Epochs, AccuracyPercent (2 decimals), NLL and ECE (4), then
    /// the same under shift (ShiftedAccuracyPercent, ShiftedNLL, ShiftedECE).
    /// </summary>
    public static DataFrame EqualBudget(IEnumerable<EqualBudgetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new
        {
            r.Method,
            r.Epochs,
            AccuracyPercent = Math.Round(r.AccuracyPercent, 2),
            NLL = Math.Round(r.Nll, 4),
            ECE = Math.Round(r.Ece, 4),
            ShiftedAccuracyPercent = Math.Round(r.Shifted.Accuracy * 100, 2),
            ShiftedNLL = Math.Round(r.Shifted.Nll, 4),
            ShiftedECE = Math.Round(r.Shifted.Ece, 4),
        }));
    }

    // Seed 002's Table 5.2 (WRN-28-10 on CIFAR-10, 200 epochs): accuracy % and ECE, by the start of the method's name.
    static readonly (string Method, string Accuracy, string Ece)[] Table52 =
    [
        ("Independent", "96.0", "0.023"), ("MC dropout", "95.9", "0.024"), ("Snapshot", "96.3", "0.015"), ("FGE", "96.3", "0.015"),
        ("SSE, NP 1/2", "96.5", "0.005"), ("SSE annealed", "96.7", "-"), ("SSE, NP 1/3", "96.4", "0.004"), ("SSE, NP 1/6", "95.1", "0.013"),
        ("Dense ensemble", "96.6", "0.010"), ("Parent alone", "-", "-"),
    ];

    /// <summary>
    /// Seed 002's Table 5.2 beside an equal-budget run: Method, PaperAccuracy, ThisRunAccuracy (2 decimals), PaperEce,
    /// ThisRunEce (4). A row's paper entry is the one its method's name starts with: Independent, MC dropout, Snapshot, FGE,
    /// "SSE, NP 1/2", SSE annealed, "SSE, NP 1/3", "SSE, NP 1/6", Dense ensemble, Parent alone ("-" where the paper has none).
    /// </summary>
    /// <exception cref="ArgumentException">A method has no entry in the table.</exception>
    public static DataFrame EqualBudgetVersusPaper(IEnumerable<EqualBudgetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        (string Method, string Accuracy, string Ece) Paper(string method) =>
            Table52.FirstOrDefault(p => method.StartsWith(p.Method, StringComparison.Ordinal)) is { Method: not null } entry ? entry
            : throw new ArgumentException($"'{method}' is not in Table 5.2; its rows start with {string.Join(", ", Table52.Select(p => p.Method))}.", nameof(rows));
        return ToDataFrame(rows.Select(r => (Row: r, Paper: Paper(r.Method))).Select(p => new
        {
            p.Row.Method,
            PaperAccuracy = p.Paper.Accuracy,
            ThisRunAccuracy = Math.Round(p.Row.AccuracyPercent, 2),
            PaperEce = p.Paper.Ece,
            ThisRunEce = Math.Round(p.Row.Ece, 4),
        }).ToList());
    }

    /// <summary>
    /// Seed 002's Table 5.3 (Neural Partitioning into halves, thirds and sixths; WRN-28-10, CIFAR-10) beside three runs:
    /// Partition, PaperChildAccuracy, ChildAccuracy (the members' mean, percent, 2 decimals), PaperEnsembleAccuracy,
    /// EnsembleAccuracy, NLL and ECE (4 decimals).
    /// </summary>
    public static DataFrame PartitionsVersusPaper(EnsembleReport halves, EnsembleReport thirds, EnsembleReport sixths)
    {
        ArgumentNullException.ThrowIfNull(halves);
        ArgumentNullException.ThrowIfNull(thirds);
        ArgumentNullException.ThrowIfNull(sixths);
        var partitions = new (int Parts, EnsembleReport Report, double PaperChild, double PaperEnsemble)[]
        {
            (2, halves, 95.5, 96.5), (3, thirds, 95.3, 96.4), (6, sixths, 92.9, 95.1),
        };
        return ToDataFrame(partitions.Select(p => new
        {
            Partition = $"1/{p.Parts}",
            PaperChildAccuracy = p.PaperChild,
            ChildAccuracy = Math.Round(p.Report.Members.Average(m => m.Accuracy) * 100, 2),
            PaperEnsembleAccuracy = p.PaperEnsemble,
            EnsembleAccuracy = Math.Round(p.Report.Ensemble.Accuracy * 100, 2),
            NLL = Math.Round(p.Report.Ensemble.Nll, 4),
            ECE = Math.Round(p.Report.Ensemble.Ece, 4),
        }));
    }
}
