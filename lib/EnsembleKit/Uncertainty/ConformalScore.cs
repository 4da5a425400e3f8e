namespace EnsembleKit.Uncertainty;

/// <summary>
/// The non-conformity score of split conformal classification (<see cref="ConformalCalibrator"/>): how the score of a
/// (probabilities, class) pair is defined, and so which classes a prediction set holds. Every score gives the same
/// marginal guarantee, coverage ≥ 1 − α; they differ in how the sets adapt to the difficulty of a sample.
/// </summary>
public enum ConformalScore
{
    /// <summary>
    /// LAC, the least ambiguous set-valued classifier (Sadinle, Lei and Wasserman 2019): <c>s(x, y) = 1 − p_y</c>, so a
    /// set is <c>{y : p_y ≥ 1 − q}</c>, the smallest sets on average among those using the probabilities alone. Sets
    /// can be empty (no class reaches <c>1 − q</c>). Deterministic; the seed is not used.
    /// </summary>
    Lac,

    /// <summary>
    /// APS, adaptive prediction sets (Romano, Sesia and Candès 2020), randomised as published:
    /// <c>s(x, y, V) = Z(y) − V·p_y</c>, where <c>Z(y)</c> is the total probability of the classes ranked at or above y
    /// (probabilities descending, ties ranked by class index) and <c>V ~ Uniform(0, 1)</c> is one seeded draw per row.
    /// Sets can be empty (when <c>(1 − V)·p_top &gt; q</c>).
    /// </summary>
    Aps,

    /// <summary>
    /// APS without randomisation (<c>V = 0</c>): <c>s(x, y) = Z(y)</c>, a class is in the set when the mass ranked at or
    /// above it is at most q. Still valid (coverage ≥ 1 − α), but it can over-cover: its scores tie (the class ranked
    /// last always scores 1), so the finite-sample upper bound of the randomised scores does not hold.
    /// Deterministic; the seed is not used.
    /// </summary>
    ApsNonRandomized,
}
