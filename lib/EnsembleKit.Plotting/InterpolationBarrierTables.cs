using EnsembleKit.WeightSpace;
using Microsoft.Data.Analysis;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// The barriers of interpolation curves: Path (the curve's label), LossBarrier (4 decimals), AccuracyBarrierPoints and
    /// MidpointAccuracy (the accuracy at the middle point, <c>Points[Count / 2]</c>), both in % with 2 decimals.
    /// </summary>
    public static DataFrame InterpolationBarriers(IEnumerable<InterpolationCurve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        return ToDataFrame(curves.Select(c => new
        {
            Path = c.Label,
            LossBarrier = Math.Round(c.LossBarrier, 4),
            AccuracyBarrierPoints = Math.Round(c.AccuracyBarrier * 100, 2),
            MidpointAccuracy = Math.Round(c.Points[c.Points.Count / 2].Accuracy * 100, 2),
        }));
    }
}
