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
    /// The combined prediction's row alone, named <paramref name="name"/>: what a table of predictors (a single model as
    /// <c>[1, N, C]</c>, the last k snapshots, an MC-dropout run of T passes) shows per line. The same values as the
    /// <see cref="EnsembleReport.Ensemble"/> row of <see cref="Evaluate(string, Tensor, Tensor, CombinationRule, int, IReadOnlyList{string})"/>,
    /// without scoring every member.
    /// </summary>
    public static ScoreRow EvaluateCombined(string name, Tensor memberLogits, Tensor targets,
        CombinationRule rule = CombinationRule.MeanProbabilities, int eceBins = 15)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        TorchRuntime.EnsureInitialized();
        RequireMemberLogits(memberLogits);
        using var scope = NewDisposeScope();
        var report = ClassificationReport.FromProbabilities(name, Combine.Probabilities(memberLogits, rule), targets, eceBins);
        return ToRow(report, (int)memberLogits.shape[0], TemperatureScaling.TwoFoldCalibratedNll(Combine.LogProbabilities(memberLogits, rule), targets));
    }

    /// <summary>
    /// Ensembles of <paramref name="size"/> of the M members, every one of the C(M, size) subsets scored by
    /// <see cref="EvaluateCombined"/>, and each metric averaged over the subsets: the "ensemble of k" point of a curve
    /// that does not depend on which k members were drawn (Ashukha et al. average over subsets the same way).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not in [1, M], or C(M, size) exceeds <paramref name="maxSubsets"/>.</exception>
    public static ScoreRow EvaluateMeanOverSubsets(string name, Tensor memberLogits, Tensor targets, int size,
        CombinationRule rule = CombinationRule.MeanProbabilities, int eceBins = 15, int maxSubsets = 10_000)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        RequireMemberLogits(memberLogits);
        int count = (int)memberLogits.shape[0];
        if (size < 1 || size > count)
            throw new ArgumentOutOfRangeException(nameof(size), $"subset size must be in [1, {count}] for {count} members; got {size}.");
        var subsets = Subsets.Of(count, size, maxSubsets);
        var rows = new List<ScoreRow>(subsets.Count);
        foreach (var subset in subsets)
        {
            using var scope = NewDisposeScope();
            using var index = tensor(subset.Select(i => (long)i).ToArray(), device: memberLogits.device);
            rows.Add(EvaluateCombined(name, memberLogits.index_select(0, index), targets, rule, eceBins));
        }
        return new ScoreRow(name, size, rows.Average(r => r.Accuracy), rows.Average(r => r.Nll), rows.Average(r => r.Ece),
            rows.Average(r => r.Brier), rows.Average(r => r.CalibratedNll));
    }

    /// <summary>
    /// The ensembles that grow one member at a time in the members' order: for k = 1..M the first k members (or, with
    /// <paramref name="lastMembers"/>, the last k: a snapshot run's late snapshots), each scored by
    /// <see cref="EvaluateCombined"/> and named <paramref name="name"/>(k). The "error against ensemble size" curve of
    /// snapshot ensembles and FGE.
    /// </summary>
    public static IReadOnlyList<ScoreRow> EvaluateCumulative(Func<int, string> name, Tensor memberLogits, Tensor targets,
        bool lastMembers = false, CombinationRule rule = CombinationRule.MeanProbabilities, int eceBins = 15)
        => ScoreSlices(name, memberLogits, targets, rule, eceBins, (k, count) => (lastMembers ? count - k : 0, k));

    /// <summary>
    /// Every member on its own, in order: member k (k = 1..M) as <c>[1, N, C]</c> scored by <see cref="EvaluateCombined"/>
    /// and named <paramref name="name"/>(k), the per-snapshot or per-member table of a snapshot or FGE run.
    /// </summary>
    public static IReadOnlyList<ScoreRow> EvaluateEach(Func<int, string> name, Tensor memberLogits, Tensor targets,
        CombinationRule rule = CombinationRule.MeanProbabilities, int eceBins = 15)
        => ScoreSlices(name, memberLogits, targets, rule, eceBins, (k, _) => (k - 1, 1));

    /// <summary>
    /// For k = 1..M the members <c>slice(k, M)</c> = (first, count) scored together by <see cref="EvaluateCombined"/> and
    /// named <paramref name="name"/>(k): the one loop behind <see cref="EvaluateCumulative"/> and <see cref="EvaluateEach"/>.
    /// </summary>
    static IReadOnlyList<ScoreRow> ScoreSlices(Func<int, string> name, Tensor memberLogits, Tensor targets, CombinationRule rule, int eceBins,
        Func<int, int, (int First, int Count)> slice)
    {
        ArgumentNullException.ThrowIfNull(name);
        RequireMemberLogits(memberLogits);
        int count = (int)memberLogits.shape[0];
        var rows = new List<ScoreRow>(count);
        for (int k = 1; k <= count; k++)
        {
            using var scope = NewDisposeScope();
            var (first, length) = slice(k, count);
            rows.Add(EvaluateCombined(name(k), memberLogits.narrow(0, first, length), targets, rule, eceBins));
        }
        return rows;
    }

    static void RequireMemberLogits(Tensor memberLogits)
    {
        ArgumentNullException.ThrowIfNull(memberLogits);
        if (memberLogits.dim() != 3 || memberLogits.shape[0] < 1)
            throw new ArgumentException($"member logits must be [M, N, C] with M >= 1; got [{string.Join(", ", memberLogits.shape)}].", nameof(memberLogits));
    }

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
        RequireMemberLogits(memberLogits);
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
