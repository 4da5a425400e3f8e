namespace EnsembleKit.Diversity;

/// <summary>
/// How two confusion matrices over the same inputs differ. <paramref name="Difference"/> = b − a per cell (row = true class,
/// column = predicted class); <paramref name="CorrectChange"/> = b − a on the diagonal per true class (positive: b gets more
/// of that class right); <paramref name="TotalAbsoluteDifference"/> = Σ |b − a|; <paramref name="MovedFraction"/> =
/// Σ |b − a| / (2 N), the smallest fraction of the N inputs whose prediction must differ between the two models to turn
/// one matrix into the other (a lower bound on their prediction disagreement).
/// </summary>
public sealed record ConfusionComparison(long[,] Difference, long[] CorrectChange, long TotalAbsoluteDifference, double MovedFraction);

public static partial class DiversityMetric
{
    /// <summary>
    /// Compares confusion matrices <paramref name="a"/> and <paramref name="b"/> <c>[C, C]</c> of counts over the same
    /// inputs (each row sums to that class's count in both); see <see cref="ConfusionComparison"/>.
    /// </summary>
    public static ConfusionComparison ConfusionDifference(long[,] a, long[,] b)
    {
        int c = a.GetLength(0);
        if (a.GetLength(1) != c || b.GetLength(0) != c || b.GetLength(1) != c)
            throw new ArgumentException($"confusion matrices must both be [C, C] of one size; got [{a.GetLength(0)}, {a.GetLength(1)}] and [{b.GetLength(0)}, {b.GetLength(1)}].");
        var difference = new long[c, c];
        var correct = new long[c];
        long total = 0, n = 0;
        for (int t = 0; t < c; t++)
        {
            long rowA = 0, rowB = 0;
            for (int p = 0; p < c; p++)
            {
                difference[t, p] = b[t, p] - a[t, p];
                total += Math.Abs(difference[t, p]);
                rowA += a[t, p];
                rowB += b[t, p];
            }
            if (rowA != rowB)
                throw new ArgumentException($"true class {t} has {rowA} inputs in the first matrix but {rowB} in the second: they are not over the same inputs.");
            correct[t] = difference[t, t];
            n += rowA;
        }
        return new ConfusionComparison(difference, correct, total, n == 0 ? 0 : total / (2.0 * n));
    }
}
