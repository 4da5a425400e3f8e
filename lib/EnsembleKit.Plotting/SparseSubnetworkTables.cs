using EnsembleKit.Experiments;
using EnsembleKit.Subnetworks;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Seed 002's Table 5.1 (LeNet-L on CIFAR-10, accuracy %) beside a small-budget comparison run on the data sets named
    /// "CIFAR-10" and "Fashion-MNIST" (<see cref="SmallBudgetSummary.Accuracy"/>), one row a method (Method, Paper, Cifar10,
    /// FashionMnist), then SSE (NP) − Independent in points and Table 5.3's NP 1/3 − NP 1/2 child accuracy from two
    /// ablation rows (CIFAR-10 only; NaN for Fashion-MNIST).
    /// </summary>
    /// <exception cref="ArgumentException">A method is missing on either data set.</exception>
    public static DataFrame SmallBudgetVersusPaper(SmallBudgetSummary results, SubnetworkAblationRow npHalves, SubnetworkAblationRow npThirds)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(npHalves);
        ArgumentNullException.ThrowIfNull(npThirds);
        const string cifar = "CIFAR-10", fashion = "Fashion-MNIST", sseNp = "SSE (NP) (";
        static string PaperGap(double a, double b) => $"{a - b:+0.00;-0.00}";
        PaperRow Row(string method, string paper, string prefix) =>
            new(method, paper, results.Accuracy(cifar, prefix), results.Accuracy(fashion, prefix));
        return ToDataFrame(new PaperRow[]
        {
            Row("Independent", "70.29 ± 0.21", "Independent"),
            Row("Deep ensemble (M × B/M epochs)", "not in Table 5.1", "Deep ensemble"),
            Row("Dropout", "70.06 ± 0.32", "Dropout"),
            Row("MC dropout", "not in Table 5.1", "MC dropout"),
            Row("Bagging", "70.97 ± 0.13", "Bagging"),
            Row("SSE (R)", "75.51 ± 0.06", "SSE (R)"),
            Row("SSE (NP)", "75.75 ± 0.06", sseNp),
            new("SSE (NP) − Independent, points", PaperGap(75.75, 70.29),
                Math.Round(results.Accuracy(cifar, sseNp) - results.Accuracy(cifar, "Independent"), 2),
                Math.Round(results.Accuracy(fashion, sseNp) - results.Accuracy(fashion, "Independent"), 2)),
            new("NP 1/3 − NP 1/2 child accuracy, points (Table 5.3, WRN)", PaperGap(95.3, 95.5),
                Math.Round(npThirds.MeanChildAccuracy - npHalves.MeanChildAccuracy, 2), double.NaN),
        });
    }

    /// <summary>
    /// Seed 002's E2.5.5 in four rows, MotherNet children against SSE children of the same size (mean test accuracy curves
    /// from <see cref="SseVersusMotherNets.MeanCurve"/>, epoch 0 first): Quantity, MotherNet, Sse (%, 2 decimals): at the
    /// start, after one epoch, at the end, and the network each started from.
    /// </summary>
    public static DataFrame MotherNetsVersusSse(IReadOnlyList<double> motherNetCurve, IReadOnlyList<double> sseCurve, double motherAccuracy, double parentAccuracy)
    {
        ArgumentNullException.ThrowIfNull(motherNetCurve);
        ArgumentNullException.ThrowIfNull(sseCurve);
        if (motherNetCurve.Count < 2 || motherNetCurve.Count != sseCurve.Count)
            throw new ArgumentException($"both curves need the same length, at least 2 (epoch 0 and 1); got {motherNetCurve.Count} and {sseCurve.Count}.");
        int epochs = motherNetCurve.Count - 1;
        return ToDataFrame(new[]
        {
            new { Quantity = "start (epoch 0), %", MotherNet = Math.Round(motherNetCurve[0], 2), Sse = Math.Round(sseCurve[0], 2) },
            new { Quantity = "after 1 epoch, %", MotherNet = Math.Round(motherNetCurve[1], 2), Sse = Math.Round(sseCurve[1], 2) },
            new { Quantity = $"after {epochs} epochs, %", MotherNet = Math.Round(motherNetCurve[^1], 2), Sse = Math.Round(sseCurve[^1], 2) },
            new { Quantity = "its starting network, %", MotherNet = Math.Round(motherAccuracy, 2), Sse = Math.Round(parentAccuracy, 2) },
        });
    }

    sealed record PaperRow(string Method, string Paper, double Cifar10, double FashionMnist);
}
