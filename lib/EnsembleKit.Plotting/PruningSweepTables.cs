using EnsembleKit.Subnetworks;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Table 6.1's layout for one mask criterion and learning-rate regime: a "method" column, then one column a sparsity
    /// (named as a percentage) holding each method's best accuracy there (<see cref="PruningSweepResult.Best"/>; a fraction,
    /// 3 decimals).
    /// </summary>
    public static DataFrame PruningSweepBest(PruningSweepResult sweep, string criterion, string rates, IReadOnlyList<string> methods, IReadOnlyList<double> sparsities)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(sparsities);
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("method", methods) };
        foreach (var s in sparsities)
            columns.Add(new DoubleDataFrameColumn($"{s:P0}", methods.Select(m => (double?)Math.Round(sweep.Best(criterion, rates, m, s).Accuracy, 3))));
        return new DataFrame(columns);
    }

    /// <summary>
    /// Each method's best setting at each sparsity with its seeds apart: Sparsity, Method, MeanAccuracy (percent, 2 decimals)
    /// and PerSeed (the accuracies in seed order).
    /// </summary>
    public static DataFrame PruningSweepSeeds(PruningSweepResult sweep, string criterion, string rates, IReadOnlyList<string> methods, IReadOnlyList<double> sparsities)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(sparsities);
        return ToDataFrame(sparsities.SelectMany(s => methods.Select(m => sweep.Best(criterion, rates, m, s)).Select(r => new
        {
            Sparsity = $"{s:P0}",
            r.Method,
            MeanAccuracy = Math.Round(r.Accuracy * 100, 2),
            PerSeed = string.Join(" / ", r.PerSeed.Select(a => (a * 100).ToString("F2"))),
        })).ToList());
    }

    /// <summary>
    /// The sweep beside a paper's accuracies (fractions keyed by method and sparsity), one row a sparsity and method: Paper,
    /// PaperGainOverOneShot and ThisRunGainOverOneShot (points, 1 decimal), ThisRun (3 decimals) and the best Setting.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The paper has no entry for a method or sparsity asked for, or for one-shot pruning there.</exception>
    public static DataFrame PruningSweepVersusPaper(PruningSweepResult sweep, string criterion, string rates, IReadOnlyList<string> methods,
        IReadOnlyList<double> sparsities, IReadOnlyDictionary<(string Method, double Sparsity), double> paper)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(sparsities);
        ArgumentNullException.ThrowIfNull(paper);
        return ToDataFrame(sparsities.SelectMany(s => methods.Select(m => new
        {
            Sparsity = $"{s:P0}",
            Method = m,
            Paper = paper[(m, s)],
            PaperGainOverOneShot = Math.Round((paper[(m, s)] - paper[(PruningMethodSweep.OneShot, s)]) * 100, 1),
            ThisRun = Math.Round(sweep.Best(criterion, rates, m, s).Accuracy, 3),
            ThisRunGainOverOneShot = Math.Round((sweep.Best(criterion, rates, m, s).Accuracy - sweep.Best(criterion, rates, PruningMethodSweep.OneShot, s).Accuracy) * 100, 1),
            Setting = sweep.Best(criterion, rates, m, s).Setting,
        })).ToList());
    }
}
