using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Split conformal prediction (<see cref="ConformalPrediction.Split"/>) for every member and the ensemble: the test set
/// is split once, under a seed, into a calibration part and a test part; each predictor's probabilities (a member's
/// softmax, the ensemble's <see cref="Combine.Probabilities"/> under its rule, both in float64) are calibrated on the
/// first and its sets scored on the second: empirical coverage, mean set size, share of empty sets.
/// </summary>
/// <remarks>
/// The split (<see cref="SplitIndices"/>) is a <c>torch.randperm</c> on the CPU from a generator seeded with
/// <c>seed · 1000003 + 2 · 7919 + 17</c>, stream 2 of the seeding <see cref="ConformalCalibrator"/> uses for its APS draws
/// (streams 0 and 1), so the split and the draws never share numbers. Every predictor gets the same split, so their rows
/// compare like with like.
/// </remarks>
public static class ConformalEvaluation
{
    /// <summary>The scores used by default: LAC and randomised APS.</summary>
    public static readonly IReadOnlyList<ConformalScore> DefaultScores = [ConformalScore.Lac, ConformalScore.Aps];

    /// <summary>
    /// Scores <paramref name="ensemble"/> on <paramref name="test"/>, split into calibration and test parts
    /// (<see cref="SplitIndices"/>), at miscoverage <paramref name="alpha"/> for each of <paramref name="scores"/>
    /// (default <see cref="DefaultScores"/>).
    /// </summary>
    public static ConformalEvaluationReport Evaluate(IEnsemble ensemble, TensorDataset test, double alpha = 0.1,
        IReadOnlyList<ConformalScore>? scores = null, long seed = 0, double calibrationFraction = 0.5, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(test);
        using var scope = NewDisposeScope();
        return Evaluate(ensemble.Method, ensemble.MemberLogits(test, batchSize), test.Targets, ensemble.Rule, alpha, scores, seed, calibrationFraction);
    }

    /// <summary>The same from member logits <c>[M, N, C]</c> and targets <c>[N]</c> int64, split as <see cref="SplitIndices"/> splits N rows.</summary>
    public static ConformalEvaluationReport Evaluate(string method, Tensor memberLogits, Tensor targets, CombinationRule rule, double alpha = 0.1,
        IReadOnlyList<ConformalScore>? scores = null, long seed = 0, double calibrationFraction = 0.5)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        TorchRuntime.EnsureInitialized();
        EvaluationInput.RequireLogitsAndTargets(memberLogits, targets, nameof(memberLogits));
        var (calibration, testRows) = SplitIndices((int)memberLogits.shape[1], calibrationFraction, seed);
        using var scope = NewDisposeScope();
        var calibrationIndex = tensor(calibration.Select(i => (long)i).ToArray(), device: memberLogits.device);
        var testIndex = tensor(testRows.Select(i => (long)i).ToArray(), device: memberLogits.device);
        return EvaluateOnSplit(method, memberLogits.index_select(1, calibrationIndex), targets.index_select(0, calibrationIndex.to(targets.device)),
            memberLogits.index_select(1, testIndex), targets.index_select(0, testIndex.to(targets.device)), rule, alpha, scores, seed);
    }

    /// <summary>
    /// The same on a split made by the caller: calibration member logits <c>[M, n, C]</c> with targets <c>[n]</c>, test
    /// member logits <c>[M, N, C]</c> (same M and C) with targets <c>[N]</c>. <paramref name="seed"/> seeds randomised APS.
    /// </summary>
    public static ConformalEvaluationReport EvaluateOnSplit(string method, Tensor calibrationMemberLogits, Tensor calibrationTargets,
        Tensor testMemberLogits, Tensor testTargets, CombinationRule rule, double alpha = 0.1, IReadOnlyList<ConformalScore>? scores = null, long seed = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        TorchRuntime.EnsureInitialized();
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha: {alpha}; the miscoverage must lie in (0, 1).");
        scores ??= DefaultScores;
        if (scores.Count == 0) throw new ArgumentException("scores: empty; at least one conformal score is needed.", nameof(scores));
        foreach (var score in scores)
            if (!Enum.IsDefined(score)) throw new ArgumentException($"scores: {(int)score} is not a {nameof(ConformalScore)}.", nameof(scores));
        EvaluationInput.RequireLogitsAndTargets(calibrationMemberLogits, calibrationTargets, nameof(calibrationMemberLogits));
        EvaluationInput.RequireLogitsAndTargets(testMemberLogits, testTargets, nameof(testMemberLogits));
        if (calibrationMemberLogits.shape[0] != testMemberLogits.shape[0] || calibrationMemberLogits.shape[2] != testMemberLogits.shape[2])
            throw new ArgumentException($"testMemberLogits: {Shapes.Describe(testMemberLogits)} has other members or classes than the calibration's "
                + $"{Shapes.Describe(calibrationMemberLogits)}.", nameof(testMemberLogits));

        using var scope = NewDisposeScope();
        int count = (int)calibrationMemberLogits.shape[0];
        var calibration = calibrationMemberLogits.detach().to(ScalarType.Float64);
        var test = testMemberLogits.detach().to(ScalarType.Float64);
        var rows = new List<ConformalRow>();
        void Add(string predictor, int members, Tensor calibrationProbs, Tensor testProbs)
        {
            foreach (var score in scores)
            {
                var sets = ConformalPrediction.Split(calibrationProbs, calibrationTargets, testProbs, testTargets, alpha, score, seed);
                rows.Add(new ConformalRow(predictor, members, score, alpha, sets.Coverage!.Value, sets.MeanSize, sets.EmptyFraction, sets.Threshold));
            }
        }
        for (int m = 0; m < count; m++)
            Add($"member {m + 1}", 1, calibration[m].softmax(1), test[m].softmax(1));
        Add("ensemble", count, Combine.Probabilities(calibration, rule), Combine.Probabilities(test, rule));
        return new ConformalEvaluationReport(method, rule, alpha, seed, (int)calibrationMemberLogits.shape[1], (int)testMemberLogits.shape[1], rows);
    }

    /// <summary>
    /// The rows of a set of <paramref name="count"/> that calibrate (the first <c>⌊count · calibrationFraction⌋</c> of a
    /// seeded permutation) and the rest, which are tested; each part in ascending order. Both parts must be non-empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or leaves a part empty for this count.</exception>
    public static (int[] Calibration, int[] Test) SplitIndices(int count, double calibrationFraction = 0.5, long seed = 0)
    {
        if (!(calibrationFraction > 0 && calibrationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(calibrationFraction), calibrationFraction, $"calibrationFraction: {calibrationFraction}; it must lie in (0, 1).");
        int calibrationCount = (int)Math.Floor(count * calibrationFraction);
        if (calibrationCount < 1 || calibrationCount > count - 1)
            throw new ArgumentOutOfRangeException(nameof(calibrationFraction), calibrationFraction,
                $"calibrationFraction: {calibrationFraction} of {count} rows gives {calibrationCount} calibration and {count - calibrationCount} test rows; both need at least one.");
        TorchRuntime.EnsureInitialized();
        long[] order;
        using (var generator = new Generator(unchecked((ulong)(seed * 1_000_003L + 2 * 7919L + 17))))
        using (var permutation = randperm(count, generator: generator))
            order = permutation.data<long>().ToArray();
        var calibration = order.Take(calibrationCount).Select(i => (int)i).Order().ToArray();
        var test = order.Skip(calibrationCount).Select(i => (int)i).Order().ToArray();
        return (calibration, test);
    }
}
