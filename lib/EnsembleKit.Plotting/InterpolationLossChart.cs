using EnsembleKit.WeightSpace;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// The loss along each interpolation curve against lambda, one line per curve named by its label; x axis "λ", y axis
    /// "test cross-entropy".
    /// </summary>
    public static GenericChart InterpolationLoss(IEnumerable<InterpolationCurve> curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return Lines(curves.Select(c => LineSeries.Of(c.Label, c.Points, p => p.Lambda, p => p.Loss)), title, "λ", "test cross-entropy");
    }
}
