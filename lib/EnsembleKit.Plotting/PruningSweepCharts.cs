using EnsembleKit.Subnetworks;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// One line a method: its best tuned accuracy (<see cref="PruningSweepResult.Best"/>, percent) against sparsity (percent);
    /// with <paramref name="baseline"/>, its gain over that method's accuracy in points instead.
    /// </summary>
    public static GenericChart PruningSweep(PruningSweepResult sweep, string criterion, string rates, IEnumerable<string> methods,
        IReadOnlyList<double> sparsities, string title, string? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(sparsities);
        double Accuracy(string method, double s) => sweep.Best(criterion, rates, method, s).Accuracy;
        double Value(string method, double s) => baseline is null ? Accuracy(method, s) * 100 : (Accuracy(method, s) - Accuracy(baseline, s)) * 100;
        return Lines(methods.Select(m => new LineSeries(m, sparsities.Select(s => s * 100).ToList(), sparsities.Select(s => Value(m, s)).ToList())).ToList(),
            title, "sparsity, %", baseline is null ? "test accuracy, %" : $"accuracy − {baseline} accuracy, points");
    }

    /// <summary>Test accuracy (percent) after every tuning epoch of each method's best setting at one sparsity, named "method setting".</summary>
    public static GenericChart PruningCurves(PruningSweepResult sweep, string criterion, string rates, IEnumerable<string> methods, double sparsity, string title)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(methods);
        return Lines(methods.Select(m => sweep.Best(criterion, rates, m, sparsity)).Select(r => new LineSeries($"{r.Method} {r.Setting}".Trim(),
            r.Curve.Select(c => (double)(c.Epoch + 1)).ToList(), r.Curve.Select(c => c.Accuracy * 100).ToList())).ToList(), title, "epoch", "test accuracy, %");
    }
}
