using System.Reflection;
using EnsembleKit.Evaluation;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

/// <summary>Turns lists of records into <see cref="DataFrame"/>s, which notebooks display as HTML tables.</summary>
public static class Tables
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
