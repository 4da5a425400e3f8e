using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    // Ashukha et al. 2020, Table 3 (VGG16 on CIFAR-10): error % and calibrated NLL at k = 1, 5, 10, 100, in the table's
    // order: single, deep ensemble, MC dropout, snapshot, FGE, SWAG, cSGLD, VI (FFG), KFAC-Laplace.
    static readonly int[] Table3Sizes = [1, 5, 10, 100];
    static readonly (double[] Error, double[] Nll)[] Table3 =
    [
        ([5.83, 5.83, 5.83, 5.83], [0.223, 0.223, 0.223, 0.223]),
        ([5.95, 4.79, 4.57, 4.39], [0.226, 0.158, 0.148, 0.134]),
        ([5.86, 5.81, 5.82, 5.79], [0.232, 0.225, 0.224, 0.223]),
        ([7.76, 5.52, 5.00, 4.54], [0.247, 0.176, 0.160, 0.137]),
        ([6.52, 5.95, 5.69, 5.10], [0.213, 0.187, 0.178, 0.155]),
        ([7.03, 5.66, 5.49, 5.25], [0.230, 0.182, 0.171, 0.160]),
        ([7.37, 6.56, 5.71, 4.84], [0.234, 0.196, 0.176, 0.147]),
        ([6.57, 5.63, 5.50, 5.46], [0.239, 0.192, 0.184, 0.175]),
        ([6.00, 5.82, 5.82, 5.80], [0.210, 0.203, 0.201, 0.200]),
    ];

    /// <summary>
    /// Ashukha et al.'s Table 3 (VGG16, CIFAR-10) beside a <see cref="EnsembleKit.Evaluation.SizeSweep"/>: for each of the
    /// nine <paramref name="methods"/>, named in the table's order (single model, deep ensemble, MC dropout, snapshot, FGE,
    /// SWAG, cyclic SGLD, VI (FFG), KFAC-Laplace), its rows in sweep order: Method, k, PaperError and ThisRunError (%, 2
    /// decimals), PaperCalibratedNll (3) and ThisRunCalibratedNll (4); the paper's cells are empty where it has no such k.
    /// </summary>
    public static DataFrame SizeSweepVersusPaper(IEnumerable<SizeSweepRow> rows, IReadOnlyList<string> methods)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Count != Table3.Length)
            throw new ArgumentException($"name the {Table3.Length} methods of Table 3, in its order; got {methods.Count}.", nameof(methods));
        var list = rows.ToList();
        return ToDataFrame(methods.SelectMany((method, m) => list.Where(t => t.Method == method).Select(t =>
        {
            int i = Array.IndexOf(Table3Sizes, t.K);
            return new
            {
                t.Method,
                k = t.K,
                PaperError = i < 0 ? "" : $"{Table3[m].Error[i]:F2}",
                ThisRunError = $"{t.Score.ErrorPercent:F2}",
                PaperCalibratedNll = i < 0 ? "" : $"{Table3[m].Nll[i]:F3}",
                ThisRunCalibratedNll = $"{t.Score.CalibratedNll:F4}",
            };
        })).ToList());
    }
}
