using System.Reflection;
using EnsembleKit.Evaluation;
using EnsembleKit.Subnetworks;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

/// <summary>Turns lists of records into <see cref="DataFrame"/>s, which notebooks display as HTML tables.</summary>
public static partial class Tables
{
    /// <summary>
    /// One row per record, one column per public readable property, in declaration order. Numeric and
    /// bool properties keep their type; everything else becomes text (<c>ToString()</c>).
    /// </summary>
    public static DataFrame ToDataFrame<T>(IEnumerable<T> records)
    {
        var rows = records.ToList();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();
        if (properties.Count == 0) throw new ArgumentException($"{typeof(T).Name} has no public properties to tabulate.", nameof(records));
        return new DataFrame(properties.Select(p => Column(p, rows)));
    }

    /// <summary>
    /// The same with every <c>double</c> and <c>float</c> value rounded to <paramref name="digits"/> decimals (away from
    /// zero at a tie), for a table read by people: the values keep their type, only the digits shown change.
    /// </summary>
    public static DataFrame ToDataFrame<T>(IEnumerable<T> records, int digits)
    {
        if (digits is < 0 or > 15) throw new ArgumentOutOfRangeException(nameof(digits), $"digits must be in [0, 15]; got {digits}.");
        var frame = ToDataFrame(records);
        foreach (var column in frame.Columns)
        {
            if (column is DoubleDataFrameColumn doubles)
                for (long i = 0; i < doubles.Length; i++) doubles[i] = doubles[i] is { } d ? Math.Round(d, digits, MidpointRounding.AwayFromZero) : null;
            else if (column is SingleDataFrameColumn singles)
                for (long i = 0; i < singles.Length; i++) singles[i] = singles[i] is { } f ? MathF.Round(f, digits, MidpointRounding.AwayFromZero) : null;
        }
        return frame;
    }

    /// <summary>
    /// Score rows as the notebooks print them: Predictor, Members, ErrorPct (2 decimals), then Nll, CalibratedNll, Ece
    /// and Brier (4 decimals).
    /// </summary>
    public static DataFrame Scores(IEnumerable<ScoreRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(r => new
        {
            Predictor = r.Name,
            r.Members,
            ErrorPct = Math.Round(r.ErrorPercent, 2),
            Nll = Math.Round(r.Nll, 4),
            CalibratedNll = Math.Round(r.CalibratedNll, 4),
            Ece = Math.Round(r.Ece, 4),
            Brier = Math.Round(r.Brier, 4),
        }));
    }

    /// <summary>
    /// <see cref="EnsembleKit.Evaluation.SizeSweep"/> rows as the notebooks print them: Method, k, ErrorPct (2 decimals),
    /// CalibratedNll and Nll (4 decimals), Dee (2 decimals).
    /// </summary>
    public static DataFrame SizeSweep(IEnumerable<SizeSweepRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ToDataFrame(rows.Select(t => new
        {
            t.Method,
            k = t.K,
            ErrorPct = Math.Round(t.Score.ErrorPercent, 2),
            CalibratedNll = Math.Round(t.Score.CalibratedNll, 4),
            Nll = Math.Round(t.Score.Nll, 4),
            Dee = Math.Round(t.Dee, 2),
        }));
    }

    /// <summary>
    /// A subnetwork ensemble's test scores (<see cref="Subnetworks.SubnetworkScores.Reports"/>: the parent, each member,
    /// the combinations) as notebook 09 prints them: Predictor, AccuracyPercent (2 decimals), NLL and ECE (4 decimals).
    /// </summary>
    public static DataFrame SubnetworkScores(SubnetworkScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return ToDataFrame(scores.Reports.Select(r => new
        {
            Predictor = r.Name,
            AccuracyPercent = Math.Round(r.Accuracy * 100, 2),
            NLL = Math.Round(r.Nll, 4),
            ECE = Math.Round(r.Ece, 4),
        }));
    }

    /// <summary>
    /// A subnetwork ensemble's sizes (<see cref="Subnetworks.SubnetworkReport"/>): the parent when the report has one, each
    /// child, then the children's total ("ensemble total (N children)"): Label, Parameters, NonZero, Sparsity and
    /// WeightSparsity (4 decimals; NaN on the total row, whose weights are not counted apart).
    /// </summary>
    public static DataFrame SubnetworkSizes(SubnetworkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sizes = (report.Parent is { } parent ? report.Children.Prepend(parent) : report.Children).Select(s => new
        {
            s.Label,
            s.Parameters,
            s.NonZero,
            Sparsity = Math.Round(s.Sparsity, 4),
            WeightSparsity = Math.Round(s.WeightSparsity, 4),
        }).ToList();
        sizes.Add(new
        {
            Label = $"ensemble total ({report.Children.Count} children)",
            Parameters = report.TotalParameters,
            NonZero = report.TotalNonZero,
            Sparsity = Math.Round(report.TotalParameters == 0 ? 0 : 1 - (double)report.TotalNonZero / report.TotalParameters, 4),
            WeightSparsity = double.NaN,
        });
        return ToDataFrame(sizes);
    }

    /// <summary>
    /// Every setting of a trust-region search, in its order: Sigma, MeanKl (4 decimals), MeanSquaredDifference (5),
    /// MeanChildAccuracy (percent, 2) and WithinBound.
    /// </summary>
    public static DataFrame TrustRegionPoints(TrustRegionResult search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return ToDataFrame(search.Points.Select(p => new
        {
            p.Sigma,
            MeanKl = Math.Round(p.MeanKl, 4),
            MeanSquaredDifference = Math.Round(p.MeanSquaredDifference, 5),
            MeanChildAccuracy = Math.Round(p.MeanAccuracy * 100, 2),
            p.WithinBound,
        }));
    }

    /// <summary>
    /// Noise tolerance a mutation sparsity (one row each, the grid's order): the perturbed fraction, the
    /// <see cref="TrustRegionResult.ToleratedSigma"/> within <paramref name="maxDropPoints"/>, and mean KL (4 decimals) and
    /// child accuracy (percent, 1 decimal) at <paramref name="midSigma"/> and <paramref name="highSigma"/>.
    /// </summary>
    public static DataFrame NoiseTolerance(TrustRegionResult grid, double midSigma, double highSigma, double maxDropPoints = 1.0)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return ToDataFrame(grid.Sparsities.Select(s => new
        {
            MutationSparsity = s,
            PerturbedFraction = 1 - s,
            ToleratedSigma = grid.ToleratedSigma(s, maxDropPoints),
            KlAtMidSigma = Math.Round(grid.At(s, midSigma).MeanKl, 4),
            AccuracyAtMidSigma = Math.Round(grid.At(s, midSigma).MeanAccuracy * 100, 1),
            KlAtHighSigma = Math.Round(grid.At(s, highSigma).MeanKl, 4),
            AccuracyAtHighSigma = Math.Round(grid.At(s, highSigma).MeanAccuracy * 100, 1),
        }).ToList());
    }

    /// <summary>
    /// <see cref="Subnetworks.AverageVersusVote.Sweep"/>'s points: Sigma, MeanKl (4 decimals), then MeanMember, Average, Vote
    /// and AverageMinusVote test accuracies in percent (2 decimals).
    /// </summary>
    public static DataFrame AverageVersusVote(IEnumerable<AverageVersusVotePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return ToDataFrame(points.Select(v => new
        {
            v.Sigma,
            MeanKl = Math.Round(v.MeanKl, 4),
            MeanMember = Math.Round(v.MeanMemberAccuracy * 100, 2),
            Average = Math.Round(v.AverageAccuracy * 100, 2),
            Vote = Math.Round(v.VoteAccuracy * 100, 2),
            AverageMinusVote = Math.Round(v.AverageAccuracy * 100 - v.VoteAccuracy * 100, 2),
        }));
    }

    static DataFrameColumn Column<T>(PropertyInfo p, List<T> rows)
    {
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        IEnumerable<object?> values = rows.Select(r => p.GetValue(r));
        if (type == typeof(double)) return new DoubleDataFrameColumn(p.Name, values.Select(v => (double?)v));
        if (type == typeof(float)) return new SingleDataFrameColumn(p.Name, values.Select(v => (float?)v));
        if (type == typeof(int)) return new Int32DataFrameColumn(p.Name, values.Select(v => (int?)v));
        if (type == typeof(long)) return new Int64DataFrameColumn(p.Name, values.Select(v => (long?)v));
        if (type == typeof(bool)) return new BooleanDataFrameColumn(p.Name, values.Select(v => (bool?)v));
        return new StringDataFrameColumn(p.Name, values.Select(v => v?.ToString()));
    }
}
