using System.Globalization;

namespace EnsembleKit.Evaluation;

/// <summary>
/// At one ensemble size <paramref name="K"/> of a <see cref="SizeSweep"/>: the reference method's scores (the deep
/// ensemble, in Ashukha et al.'s comparison) against the best of the other methods that reach that size, and whether the
/// reference has the lowest, or tied-lowest, error and calibrated NLL.
/// </summary>
/// <param name="K">The ensemble size.</param>
/// <param name="Reference">The reference method's scores at size K.</param>
/// <param name="BestErrorMethod">The other method with the lowest error at size K.</param>
/// <param name="BestErrorPercent">Its error, %.</param>
/// <param name="BestNllMethod">The other method with the lowest calibrated NLL at size K.</param>
/// <param name="BestCalibratedNll">Its calibrated NLL.</param>
/// <param name="ReferenceLowest">Whether the reference's error is at most the tie margin above every other method's, and its
/// calibrated NLL likewise.</param>
public sealed record SizeSweepLeader(int K, ScoreRow Reference, string BestErrorMethod, double BestErrorPercent, string BestNllMethod,
    double BestCalibratedNll, bool ReferenceLowest)
{
    /// <summary>
    /// One line for a claim or a log: <c>k = 5: deep ensemble 10.11 % / 0.2916, best other 10.59 % (cyclic SGLD) / 0.2946 (cyclic SGLD)</c>,
    /// error then calibrated NLL.
    /// </summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"k = {K}: {Reference.Name} {Reference.ErrorPercent:F2} % / {Reference.CalibratedNll:F4}, "
        + $"best other {BestErrorPercent:F2} % ({BestErrorMethod}) / {BestCalibratedNll:F4} ({BestNllMethod})");
}
