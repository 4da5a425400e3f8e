using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Seed 002 E2.5.5's learning curves: the mean test accuracy (percent) of the MotherNet children (16 → 32 units) and of
    /// the SSE children (64 → 32 units) at each epoch (0 = as hatched / pruned; from
    /// <see cref="Experiments.SseVersusMotherNets.MeanCurve"/>), with the mother's and the SSE parent's accuracy as flat
    /// lines over the same epochs; <paramref name="children"/> is the number of children per method, named in the legend.
    /// </summary>
    /// <exception cref="ArgumentException">The curves are shorter than 2 points or of different lengths.</exception>
    public static GenericChart MotherNetsVersusSse(IReadOnlyList<double> motherNetCurve, IReadOnlyList<double> sseCurve, double motherAccuracy,
        double parentAccuracy, int children)
    {
        ArgumentNullException.ThrowIfNull(motherNetCurve);
        ArgumentNullException.ThrowIfNull(sseCurve);
        if (motherNetCurve.Count < 2 || motherNetCurve.Count != sseCurve.Count)
            throw new ArgumentException($"the curves need the same length, at least 2 points; got {motherNetCurve.Count} and {sseCurve.Count}.", nameof(sseCurve));
        int epochs = motherNetCurve.Count - 1;
        var epochAxis = Enumerable.Range(0, epochs + 1).Select(e => (double)e).ToList();
        return Lines(new[]
        {
            new LineSeries($"MotherNet children (16 → 32 units), mean of {children}", epochAxis, motherNetCurve),
            new LineSeries($"SSE children (64 → 32 units), mean of {children}", epochAxis, sseCurve),
            new LineSeries("mother", [0, epochs], [motherAccuracy, motherAccuracy]),
            new LineSeries("SSE parent", [0, epochs], [parentAccuracy, parentAccuracy]),
        }, "Children of 32 hidden units: test accuracy while training", "epoch (0 = as hatched / pruned)", "test accuracy, %");
    }
}
