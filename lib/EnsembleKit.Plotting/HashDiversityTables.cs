using EnsembleKit.Analysis;
using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// Sibling pairs' hash distances, one row a pair: Pair, then Rmse (4 decimals) when <paramref name="includeRmse"/>,
    /// Channels when <paramref name="channels"/> is given, then one column a hash kind ("mean ± standard error" bits):
    /// AHash, PHash, DHash, WHash, ColorHash, as the pairs were compared.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, or rows compared under different hash kinds.</exception>
    public static DataFrame SiblingHashDistances(IEnumerable<SiblingHashDistances> rows, bool includeRmse = true, int? channels = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        if (list.Count == 0) throw new ArgumentException("no sibling pairs to tabulate.", nameof(rows));
        var kinds = list[0].Summaries.Select(s => s.Kind).ToList();
        if (list.Any(r => !r.Summaries.Select(s => s.Kind).SequenceEqual(kinds)))
            throw new ArgumentException("every pair must be compared under the same hash kinds, in the same order.", nameof(rows));
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("Pair", list.Select(r => r.Pair)) };
        if (includeRmse) columns.Add(new DoubleDataFrameColumn("Rmse", list.Select(r => (double?)Math.Round(r.Rmse, 4))));
        if (channels is int c) columns.Add(new Int32DataFrameColumn("Channels", list.Select(_ => (int?)c)));
        for (int k = 0; k < kinds.Count; k++)
            columns.Add(new StringDataFrameColumn(HashColumn(kinds[k]), list.Select(r => r.Summaries[k].ToShortString())));
        return new DataFrame(columns);
    }

    /// <summary>
    /// Seed 002's Fig. 7.4 (saliency maps: RMSE and four hashes) and Fig. 7.3 (feature visualisations: five hashes), snapshot
    /// siblings against Neural Partitioning siblings, beside a run's two pairs of each (<c>[snapshot pair, NP pair]</c>,
    /// compared under at least aHash, pHash, dHash, wHash, and colour hash for the features): What, PaperSnapshot, PaperNp,
    /// PaperNpFurther, ThisRunSnapshot, ThisRunNp (RMSE 4 decimals, bits 2) and ThisRunNpFurther.
    /// </summary>
    public static DataFrame HashDiversityVersusPaper(IReadOnlyList<SiblingHashDistances> saliency, IReadOnlyList<SiblingHashDistances> features)
    {
        ArgumentNullException.ThrowIfNull(saliency);
        ArgumentNullException.ThrowIfNull(features);
        if (saliency.Count != 2 || features.Count != 2)
            throw new ArgumentException($"give two pairs each, [snapshot pair, NP pair]; got {saliency.Count} saliency and {features.Count} feature pairs.");
        HashRow Bits(string what, HashKind kind, double paperSnapshot, double paperNp, IReadOnlyList<SiblingHashDistances> pairs) =>
            new(what, paperSnapshot, paperNp, Math.Round(pairs[0].For(kind).Mean, 2), Math.Round(pairs[1].For(kind).Mean, 2));
        var rows = new List<HashRow>
        {
            new("saliency RMSE", 0.06, 0.07, Math.Round(saliency[0].Rmse, 4), Math.Round(saliency[1].Rmse, 4)),
            Bits("saliency aHash", HashKind.Average, 10.01, 11.13, saliency),
            Bits("saliency pHash", HashKind.Perceptual, 18.12, 19.95, saliency),
            Bits("saliency dHash", HashKind.Difference, 10.00, 11.03, saliency),
            Bits("saliency wHash", HashKind.Wavelet, 15.13, 15.97, saliency),
            Bits("features aHash", HashKind.Average, 30.85, 31.16, features),
            Bits("features pHash", HashKind.Perceptual, 30.77, 31.19, features),
            Bits("features dHash", HashKind.Difference, 31.55, 31.60, features),
            Bits("features wHash", HashKind.Wavelet, 30.94, 31.17, features),
            Bits("features colour hash", HashKind.Color, 27.56, 32.74, features),
        };
        return ToDataFrame(rows.Select(r => new
        {
            r.What,
            r.PaperSnapshot,
            r.PaperNp,
            PaperNpFurther = r.PaperNp > r.PaperSnapshot,
            ThisRunSnapshot = r.Snapshot,
            ThisRunNp = r.Np,
            ThisRunNpFurther = r.Np > r.Snapshot,
        }));
    }

    sealed record HashRow(string What, double PaperSnapshot, double PaperNp, double Snapshot, double Np);

    static string HashColumn(HashKind kind) => kind switch
    {
        HashKind.Average => "AHash",
        HashKind.Perceptual => "PHash",
        HashKind.Difference => "DHash",
        HashKind.Wavelet => "WHash",
        HashKind.Color => "ColorHash",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Output-correlation sets (seed 002 E2.7.2), one row a set: Ensemble (its name), Children (its member count),
    /// Accuracy (the ensemble's, 2 decimals), MeanCorrelation and Std (of the pairwise correlations over unordered pairs of
    /// children, 4 decimals).
    /// </summary>
    /// <exception cref="ArgumentException">No rows.</exception>
    public static DataFrame OutputCorrelations(IEnumerable<OutputCorrelationSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        if (list.Count == 0) throw new ArgumentException("no output-correlation sets to tabulate.", nameof(rows));
        return ToDataFrame(list.Select(c => new
        {
            Ensemble = c.Name,
            Children = c.Members,
            Accuracy = Math.Round(c.Accuracy, 2),
            MeanCorrelation = Math.Round(c.Mean, 4),
            Std = Math.Round(c.Std, 4),
        }));
    }
}
