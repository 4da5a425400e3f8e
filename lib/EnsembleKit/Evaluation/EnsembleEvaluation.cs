using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// The kit's one scoring routine: member logits <c>[M, N, C]</c> → per-member and ensemble accuracy, NLL, ECE, Brier and
/// two-fold calibrated NLL, and the members' diversity. The CLI, the experiment runners and the notebooks all call it, so
/// every method is scored the same way.
/// <para>Members are scored on their softmax; the ensemble on <see cref="Combine.Probabilities"/> under its rule, and its
/// calibrated NLL on the log of those probabilities (temperature-scaling the combined prediction, as Ashukha et al. do).</para>
/// </summary>
public static class EnsembleEvaluation
{
    /// <summary>Scores <paramref name="ensemble"/> on <paramref name="test"/>.</summary>
    public static EnsembleReport Evaluate(IEnsemble ensemble, TensorDataset test, int eceBins = 15, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(test);
        using var scope = NewDisposeScope();
        var memberLogits = ensemble.MemberLogits(test, batchSize);
        return Evaluate(ensemble.Method, memberLogits, test.Targets, ensemble.Rule, eceBins);
    }

    /// <summary>
    /// Scores member logits <c>[M, N, C]</c> (e.g. read back from members trained on other machines) against targets
    /// <c>[N]</c> int64. <paramref name="memberNames"/> defaults to "member 1", "member 2", ...
    /// </summary>
    public static EnsembleReport Evaluate(string method, Tensor memberLogits, Tensor targets, CombinationRule rule, int eceBins = 15,
        IReadOnlyList<string>? memberNames = null) => Score(method, memberLogits, targets, rule, eceBins, memberNames, calibrateAndCompare: true);

    /// <summary>
    /// Accuracy, NLL, ECE and Brier of the members and the ensemble only: <see cref="ScoreRow.CalibratedNll"/> is NaN and
    /// the diversity null. For callers that score many sets and read nothing else (<see cref="CorruptionEvaluation"/>, 70
    /// shifted sets), where the two-fold temperature fits of every member would be most of the cost.
    /// </summary>
    internal static EnsembleReport EvaluateUncalibrated(string method, Tensor memberLogits, Tensor targets, CombinationRule rule, int eceBins = 15) =>
        Score(method, memberLogits, targets, rule, eceBins, memberNames: null, calibrateAndCompare: false);

    static EnsembleReport Score(string method, Tensor memberLogits, Tensor targets, CombinationRule rule, int eceBins,
        IReadOnlyList<string>? memberNames, bool calibrateAndCompare)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        TorchRuntime.EnsureInitialized();
        if (memberLogits.dim() != 3 || memberLogits.shape[0] < 1)
            throw new ArgumentException($"member logits must be [M, N, C] with M >= 1; got [{string.Join(", ", memberLogits.shape)}].", nameof(memberLogits));
        int count = (int)memberLogits.shape[0];
        if (memberNames is not null && memberNames.Count != count)
            throw new ArgumentException($"{memberNames.Count} member names for {count} members.", nameof(memberNames));
        using var scope = NewDisposeScope();
        var members = new List<ScoreRow>();
        for (int m = 0; m < count; m++)
        {
            var logits = memberLogits[m];
            var report = ClassificationReport.FromLogits(memberNames?[m] ?? $"member {m + 1}", logits, targets, eceBins);
            members.Add(ToRow(report, 1, calibrateAndCompare ? TemperatureScaling.TwoFoldCalibratedNll(logits, targets) : double.NaN));
        }
        var ensembleReport = ClassificationReport.FromProbabilities("ensemble", Combine.Probabilities(memberLogits, rule), targets, eceBins);
        var ensemble = ToRow(ensembleReport, count,
            calibrateAndCompare ? TemperatureScaling.TwoFoldCalibratedNll(Combine.LogProbabilities(memberLogits, rule), targets) : double.NaN);
        var diversity = count < 2 || !calibrateAndCompare ? null : new DiversitySummary(
            PairwiseSummary.Of(DiversityMetric.DisagreementMatrix(memberLogits)),
            PairwiseSummary.Of(DiversityMetric.KlDivergenceMatrix(memberLogits)));
        return new EnsembleReport(method, rule, members, ensemble, diversity);
    }

    static ScoreRow ToRow(ClassificationReport r, int members, double calibratedNll) =>
        new(r.Name, members, r.Accuracy, r.Nll, r.Ece, r.Brier, calibratedNll);
}
