using EnsembleKit.Experiments;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// <see cref="SumAndDistillationComparison.Run"/>'s rows: Model, BestSingle, MeanSingle, Ensemble, SumTrained, KD,
    /// SelfDistillation (test accuracy %, 2 decimals).
    /// </summary>
    public static DataFrame SumAndDistillation(IEnumerable<SumAndDistillationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new
        {
            r.Model,
            BestSingle = Math.Round(r.BestSingle, 2),
            MeanSingle = Math.Round(r.MeanSingle, 2),
            Ensemble = Math.Round(r.Ensemble, 2),
            SumTrained = Math.Round(r.Sum, 2),
            KD = Math.Round(r.KnowledgeDistillation, 2),
            SelfDistillation = Math.Round(r.SelfDistillation, 2),
        }));
    }

    // Allen-Zhu & Li's table: best single / ensemble / sum trained jointly / KD / self-distillation, test accuracy %.
    static readonly (string Network, double[] Accuracies) KernelNtk = ("SimpleCNN-10-3-NTK", [64.36, 67.38, 69.37, 64.63, 65.24]),
        KernelGp = ("SimpleCNN-10-6-GP", [30.48, 35.33, 40.08, 29.43, 29.10]), NeuralNetwork = ("ResNet-28-10 (E3.1)", [96.70, 97.20, 96.46, 97.22, 97.13]);

    /// <summary>
    /// Allen-Zhu &amp; Li's kernel-model table beside <see cref="SumAndDistillationComparison.Run"/>'s rows (notebook 21):
    /// Model, PaperNetwork, PaperSingleEnsSumKdSelf, ThisRun, the last two "best single / ensemble / Σf / KD / self" with 2
    /// decimals. A model whose name starts with "NTK" reads the NTK row, "GP" the GP row, any other the paper's network row.
    /// </summary>
    public static DataFrame KernelSumVersusPaper(IEnumerable<SumAndDistillationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static string Row(IReadOnlyList<double> a) => string.Join(" / ", a.Select(v => v.ToString("F2", System.Globalization.CultureInfo.CurrentCulture)));
        return ToDataFrame(rows.Select(r =>
        {
            var paper = r.Model.StartsWith("NTK", StringComparison.Ordinal) ? KernelNtk : r.Model.StartsWith("GP", StringComparison.Ordinal) ? KernelGp : NeuralNetwork;
            return new
            {
                r.Model,
                PaperNetwork = paper.Network,
                PaperSingleEnsSumKdSelf = Row(paper.Accuracies),
                ThisRun = Row([r.BestSingle, r.Ensemble, r.Sum, r.KnowledgeDistillation, r.SelfDistillation]),
            };
        }).ToList());
    }

    /// <summary>
    /// Allen-Zhu &amp; Li's neural-network rows (ResNet-28-10 on CIFAR-10 and CIFAR-100, E3.1) above one run's row named
    /// <paramref name="run"/> (notebook 22): Run, Single (mean ± sample std), BestSingle, Ensemble, SumTrained, KD,
    /// SelfDistillation, as text with 2 decimals (the paper gives no best single).
    /// </summary>
    public static DataFrame NeuralSumVersusPaper(SumAndDistillationRow result, string run)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(run);
        static string F2(double v) => v.ToString("F2", System.Globalization.CultureInfo.CurrentCulture);
        return ToDataFrame(new[]
        {
            new { Run = "paper: ResNet-28-10, CIFAR-10", Single = "96.70 ± 0.21", BestSingle = "", Ensemble = "97.20", SumTrained = "96.46", KD = "97.22", SelfDistillation = "97.13" },
            new { Run = "paper: ResNet-28-10, CIFAR-100", Single = "81.51 ± 0.16", BestSingle = "", Ensemble = "84.69", SumTrained = "81.83", KD = "83.81", SelfDistillation = "83.56" },
            new
            {
                Run = run, Single = $"{F2(result.MeanSingle)} ± {F2(result.SingleStandardDeviation)}", BestSingle = F2(result.BestSingle), Ensemble = F2(result.Ensemble),
                SumTrained = F2(result.Sum), KD = F2(result.KnowledgeDistillation), SelfDistillation = F2(result.SelfDistillation),
            },
        });
    }
}
