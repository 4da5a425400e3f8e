using System.Reflection;
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
