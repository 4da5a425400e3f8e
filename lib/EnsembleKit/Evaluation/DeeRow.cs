using EnsembleKit.Metrics;

namespace EnsembleKit.Evaluation;

/// <summary>
/// One method's deep ensemble equivalent (Ashukha et al. 2020): its scores, its cost in forward passes
/// (<see cref="ScoreRow.Members"/>) and the size of the deep ensemble whose calibrated NLL it matches.
/// </summary>
/// <param name="Method">The method's name (<see cref="ScoreRow.Name"/>).</param>
/// <param name="ForwardPasses">Networks or samples evaluated per prediction (<see cref="ScoreRow.Members"/>).</param>
/// <param name="Scores">The method's scores.</param>
/// <param name="Dee">Its deep ensemble equivalent, from <see cref="DeepEnsembleEquivalent.FromCurve"/>.</param>
public sealed record DeeRow(string Method, int ForwardPasses, ScoreRow Scores, double Dee)
{
    /// <summary>
    /// The DEE of each of <paramref name="methods"/>, in order, read off the calibrated NLL of <paramref name="deepCurve"/>
    /// (row k − 1 the deep ensemble of k members, e.g. <see cref="EnsembleEvaluation.EvaluateMeanOverSubsets"/> for k = 1..K).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="deepCurve"/> is empty.</exception>
    public static IReadOnlyList<DeeRow> Of(IReadOnlyList<ScoreRow> deepCurve, IEnumerable<ScoreRow> methods)
    {
        ArgumentNullException.ThrowIfNull(deepCurve);
        ArgumentNullException.ThrowIfNull(methods);
        if (deepCurve.Count == 0) throw new ArgumentException("the deep ensemble's curve needs at least one size; got none.", nameof(deepCurve));
        var curve = deepCurve.Select(s => s.CalibratedNll).ToList();
        return methods.Select(m => new DeeRow(m.Name, m.Members, m, DeepEnsembleEquivalent.FromCurve(curve, m.CalibratedNll))).ToList();
    }
}
