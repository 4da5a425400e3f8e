namespace EnsembleKit.Analysis;

/// <summary>Row-major flat copies of <c>double[N, D]</c> point sets, with input checks shared by t-SNE and trustworthiness.</summary>
internal static class PointMatrix
{
    /// <summary>
    /// Copies <paramref name="data"/> <c>[N, D]</c> into a flat row-major array after checking it has at least one
    /// row and column and no NaN or infinite value (the error names the row and column).
    /// </summary>
    public static double[] Flatten(double[,] data, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        int n = data.GetLength(0), d = data.GetLength(1);
        if (n == 0 || d == 0) throw new ArgumentException($"expected a non-empty [N, D] array of points; got [{n}, {d}].", parameterName);
        var flat = new double[n * d];
        Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(double));
        for (int i = 0; i < flat.Length; i++)
        {
            if (!double.IsFinite(flat[i]))
                throw new ArgumentException($"{parameterName} row {i / d} (column {i % d}) is {flat[i]}; t-SNE and trustworthiness need finite values. Drop or impute that row.", parameterName);
        }
        return flat;
    }

    /// <summary>Squared Euclidean distance between rows <paramref name="i"/> and <paramref name="j"/> of a flat <c>[N, d]</c> array.</summary>
    public static double SquaredDistance(double[] x, int d, int i, int j)
    {
        var a = x.AsSpan(i * d, d);
        var b = x.AsSpan(j * d, d);
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            double diff = a[k] - b[k];
            sum += diff * diff;
        }
        return sum;
    }
}
