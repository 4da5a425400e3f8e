using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Ashukha et al.'s (ICLR 2020) comparison of ensembling methods at equal size: every method's ensemble of k members or
/// samples, for each k asked for, scored by error and two-fold calibrated NLL (<see cref="EnsembleEvaluation.EvaluateCombined"/>)
/// and by its deep ensemble equivalent (DEE) against a deep ensemble's calibrated-NLL curve for k = 1..its size.
/// </summary>
public static class SizeSweep
{
    /// <summary>
    /// Which k of <paramref name="ensemble"/>'s members form its ensemble of size k, in member order: for a snapshot-based run
    /// (snapshot ensembles, FGE) the last k snapshots, the best trained; for cyclic SGLD, when k is at most the number of
    /// cycles and below the sample count, the last sample of each of the last k cycles (one per mode), otherwise its last k
    /// samples; for every other method the first k members (independent members or posterior draws, exchangeable).
    /// </summary>
    public static IReadOnlyList<int> Members(IEnsemble ensemble, int k)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        if (k < 1 || k > ensemble.Count)
            throw new ArgumentOutOfRangeException(nameof(k), $"{ensemble.Method} has {ensemble.Count} members; cannot take {k}.");
        int count = ensemble.Count;
        if (ensemble is CyclicSgldEnsemble chain)
        {
            int cycles = chain.Options.Cycles, perCycle = count / cycles;
            return k <= cycles && k < count
                ? Enumerable.Range(cycles - k, k).Select(c => (c + 1) * perCycle - 1).ToList()
                : Enumerable.Range(count - k, k).ToList();
        }
        return ensemble is SnapshotBasedEnsemble ? Enumerable.Range(count - k, k).ToList() : Enumerable.Range(0, k).ToList();
    }

    /// <summary>
    /// Scores every method of <paramref name="methods"/> at every size of <paramref name="sizes"/> it reaches (sizes above a
    /// method's member count are skipped), from member logits <c>[M, N, C]</c> computed once per method on
    /// <paramref name="test"/>. DEE is read off <paramref name="deepEnsemble"/>'s calibrated NLL at sizes 1..its count. Rows
    /// come method by method, in the order given, sizes ascending.
    /// </summary>
    public static IReadOnlyList<SizeSweepRow> Run(IReadOnlyList<IEnsemble> methods, TensorDataset test, IReadOnlyList<int> sizes, IEnsemble deepEnsemble,
        int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(deepEnsemble);
        RequireDistinctNames(methods.Append(deepEnsemble));
        var logits = new Dictionary<string, Tensor>();
        try
        {
            foreach (var method in methods.Append(deepEnsemble).DistinctBy(m => m.Method))
                logits[method.Method] = method.MemberLogits(test, batchSize);
            return Run(methods, logits, test.Targets, sizes, deepEnsemble);
        }
        finally
        {
            foreach (var t in logits.Values) t.Dispose();
        }
    }

    /// <summary>
    /// As <see cref="Run(IReadOnlyList{IEnsemble}, TensorDataset, IReadOnlyList{int}, IEnsemble, int)"/>, from member logits
    /// already computed (<paramref name="memberLogits"/>, keyed by method name, each <c>[M, N, C]</c> over all of the method's
    /// members), so they can be reused for other measures.
    /// </summary>
    public static IReadOnlyList<SizeSweepRow> Run(IReadOnlyList<IEnsemble> methods, IReadOnlyDictionary<string, Tensor> memberLogits, Tensor targets,
        IReadOnlyList<int> sizes, IEnsemble deepEnsemble)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(memberLogits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(deepEnsemble);
        if (methods.Count == 0) throw new ArgumentException("there are no methods to compare.", nameof(methods));
        RequireDistinctNames(methods.Append(deepEnsemble));
        if (sizes.Count == 0 || sizes.Any(k => k < 1))
            throw new ArgumentException($"sizes must be positive and there must be at least one; got [{string.Join(", ", sizes)}].", nameof(sizes));
        foreach (var method in methods.Append(deepEnsemble))
        {
            if (!memberLogits.TryGetValue(method.Method, out var logits))
                throw new ArgumentException($"there are no member logits for {method.Method}.", nameof(memberLogits));
            if (logits.dim() != 3 || logits.shape[0] < method.Count)
                throw new ArgumentException($"the member logits for {method.Method} must be [M, N, C] with a row for each of its {method.Count} members; got [{string.Join(", ", logits.shape)}].", nameof(memberLogits));
        }
        TorchRuntime.EnsureInitialized();
        ScoreRow Score(IEnsemble m, int k)
        {
            using var scope = NewDisposeScope();
            var index = tensor(Members(m, k).Select(i => (long)i).ToArray()).to(memberLogits[m.Method].device);
            var chosen = memberLogits[m.Method].index_select(0, index);
            return EnsembleEvaluation.EvaluateCombined(m.Method, chosen, targets, m.Rule);
        }
        var curve = Enumerable.Range(1, deepEnsemble.Count).Select(k => Score(deepEnsemble, k).CalibratedNll).ToList();
        var ordered = sizes.Distinct().Order().ToList();
        return methods.SelectMany(m => ordered.Where(k => k <= m.Count).Select(k =>
        {
            var row = Score(m, k);
            return new SizeSweepRow(m.Method, k, row, DeepEnsembleEquivalent.FromCurve(curve, row.CalibratedNll));
        })).ToList();
    }

    /// <summary>Rows and logits are keyed by method name, so two different ensembles may not share one (the same ensemble
    /// may appear twice, as the deep ensemble usually does).</summary>
    static void RequireDistinctNames(IEnumerable<IEnsemble> ensembles)
    {
        var clash = ensembles.Distinct(ReferenceEqualityComparer.Instance).Cast<IEnsemble>().GroupBy(m => m.Method).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"{clash.Count()} different ensembles are named '{clash.Key}'; rows are keyed by method name, so give each its own "
                + "(e.g. new DeepEnsemble(members, method: \"deep ensemble of 5\")).", "methods");
    }

    /// <summary>
    /// <see cref="Leader"/> at every size of <paramref name="sizes"/>, in order: e.g. the deep ensemble against the other
    /// methods at k = 5 and 10, where Ashukha et al. find it lowest.
    /// </summary>
    public static IReadOnlyList<SizeSweepLeader> Leaders(IReadOnlyList<SizeSweepRow> rows, string reference, IEnumerable<string> others,
        IEnumerable<int> sizes, double errorTie = 0.3, double nllTie = 0.005)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(sizes);
        var rivals = others.ToList();
        var leaders = sizes.Select(k => Leader(rows, reference, rivals, k, errorTie, nllTie)).ToList();
        if (leaders.Count == 0) throw new ArgumentException("there are no sizes to compare at.", nameof(sizes));
        return leaders;
    }

    /// <summary>
    /// At size <paramref name="k"/>: <paramref name="reference"/>'s row against the best of <paramref name="others"/> that
    /// have a row at that size, and whether the reference is lowest in both error and calibrated NLL, a tie being within
    /// <paramref name="errorTie"/> percentage points and <paramref name="nllTie"/> nats (Ashukha et al.'s claim that deep
    /// ensembles are best for k ≥ 5 is checked this way).
    /// </summary>
    public static SizeSweepLeader Leader(IReadOnlyList<SizeSweepRow> rows, string reference, IEnumerable<string> others, int k,
        double errorTie = 0.3, double nllTie = 0.005)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(others);
        var own = rows.FirstOrDefault(r => r.Method == reference && r.K == k)
            ?? throw new ArgumentException($"the sweep has no row for {reference} at k = {k}.", nameof(reference));
        var names = others.ToHashSet();
        var rivals = rows.Where(r => r.K == k && r.Method != reference && names.Contains(r.Method)).ToList();
        if (rivals.Count == 0) throw new ArgumentException($"no other method has a row at k = {k}.", nameof(others));
        var bestError = rivals.MinBy(r => r.Score.ErrorPercent)!;
        var bestNll = rivals.MinBy(r => r.Score.CalibratedNll)!;
        bool lowest = rivals.All(r => own.Score.ErrorPercent <= r.Score.ErrorPercent + errorTie && own.Score.CalibratedNll <= r.Score.CalibratedNll + nllTie);
        return new SizeSweepLeader(k, own.Score, bestError.Method, bestError.Score.ErrorPercent, bestNll.Method, bestNll.Score.CalibratedNll, lowest);
    }
}
