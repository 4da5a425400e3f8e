using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>
/// Accuracy, NLL, ECE and Brier under dataset shift (Ovadia et al. 2019, on the corruptions of Hendrycks and Dietterich
/// 2019): the ensemble is scored on the clean test set and on every (corruption, severity) set, each by
/// <see cref="EnsembleEvaluation"/> (without its calibrated NLL and diversity, which the rows do not carry), so the numbers are
/// the kit's one scoring of members and ensemble.
/// <see cref="CorruptionEvaluationReport.SeverityMeans"/> averages them over corruptions per severity.
/// </summary>
public static class CorruptionEvaluation
{
    /// <summary>The name of the clean test set's rows (severity 0).</summary>
    public const string Clean = "clean";

    /// <summary>The name of the per-severity means over corruptions.</summary>
    public const string Mean = "mean";

    /// <summary>
    /// Corrupts <paramref name="clean"/> in memory with <see cref="CorruptedDataset.Create"/> (images <c>[N, C, H, W]</c>
    /// in [0, 1], C = 1 or 3; deterministic under <paramref name="seed"/>) for each of <paramref name="corruptions"/>
    /// (names from <see cref="CorruptionCatalog"/>) at each of <paramref name="severities"/> (1-5), and scores each set.
    /// <paramref name="prepare"/> turns images into the members' input (e.g. standardise and flatten); it is applied to the
    /// clean set too, and what it returns is disposed here unless it is its argument. Progress: one step a set on
    /// <paramref name="progress"/> (none by default).
    /// </summary>
    public static CorruptionEvaluationReport Evaluate(IEnsemble ensemble, TensorDataset clean, IReadOnlyList<string> corruptions,
        IReadOnlyList<int> severities, long seed, Func<TensorDataset, TensorDataset>? prepare = null, int eceBins = 15, int batchSize = 1000,
        IProgressSink? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        return Evaluate([ensemble], clean, corruptions, severities, seed, prepare, eceBins, batchSize, progress)[0];
    }

    /// <summary>
    /// The same for several ensembles on the same shifted sets: each set is generated (and prepared) once and every
    /// ensemble is scored on it, so comparing k methods costs one generation per set, not k. One report per ensemble, in
    /// order.
    /// </summary>
    public static IReadOnlyList<CorruptionEvaluationReport> Evaluate(IReadOnlyList<IEnsemble> ensembles, TensorDataset clean,
        IReadOnlyList<string> corruptions, IReadOnlyList<int> severities, long seed, Func<TensorDataset, TensorDataset>? prepare = null,
        int eceBins = 15, int batchSize = 1000, IProgressSink? progress = null)
    {
        RequireEnsembles(ensembles);
        ArgumentNullException.ThrowIfNull(clean);
        RequireNames(corruptions);
        RequireSeverities(severities);
        foreach (var name in corruptions)
        {
            try { CorruptionCatalog.Get(name); }
            catch (ArgumentException e) { throw new ArgumentException($"corruptions: '{name}': {e.Message}", nameof(corruptions), e); }
        }
        var input = prepare is null ? clean : prepare(clean);
        try
        {
            return Score(ensembles, input, corruptions, severities, Corrupt, eceBins, batchSize, progress);
        }
        finally
        {
            if (!ReferenceEquals(input, clean)) input.Dispose();
        }

        TensorDataset Corrupt(string corruption, int severity)
        {
            var corrupted = CorruptedDataset.Create(clean, corruption, severity, seed);
            if (prepare is null) return corrupted;
            var prepared = prepare(corrupted);
            if (!ReferenceEquals(prepared, corrupted)) corrupted.Dispose();
            return prepared;
        }
    }

    /// <summary>
    /// The same with the shifted sets from <paramref name="load"/>(corruption, severity), ready for the members (e.g.
    /// <c>(c, s) =&gt; CorruptedDataset.FashionMnist(c, s)</c> or the real <c>Cifar10C.Load</c>); each is disposed after
    /// scoring. <paramref name="clean"/> is scored as it is, and its targets must match every loaded set's count.
    /// </summary>
    public static CorruptionEvaluationReport Evaluate(IEnsemble ensemble, TensorDataset clean, IReadOnlyList<string> corruptions,
        IReadOnlyList<int> severities, Func<string, int, TensorDataset> load, int eceBins = 15, int batchSize = 1000, IProgressSink? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        return Evaluate([ensemble], clean, corruptions, severities, load, eceBins, batchSize, progress)[0];
    }

    /// <summary>The same for several ensembles, each loaded set scored by all of them before it is disposed.</summary>
    public static IReadOnlyList<CorruptionEvaluationReport> Evaluate(IReadOnlyList<IEnsemble> ensembles, TensorDataset clean,
        IReadOnlyList<string> corruptions, IReadOnlyList<int> severities, Func<string, int, TensorDataset> load, int eceBins = 15,
        int batchSize = 1000, IProgressSink? progress = null)
    {
        RequireEnsembles(ensembles);
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(load);
        RequireNames(corruptions);
        RequireSeverities(severities);
        return Score(ensembles, clean, corruptions, severities, load, eceBins, batchSize, progress);
    }

    static IReadOnlyList<CorruptionEvaluationReport> Score(IReadOnlyList<IEnsemble> ensembles, TensorDataset clean,
        IReadOnlyList<string> corruptions, IReadOnlyList<int> severities, Func<string, int, TensorDataset> load, int eceBins, int batchSize,
        IProgressSink? progress)
    {
        progress ??= ProgressSinks.None;
        string label = ensembles.Count == 1 ? $"{ensembles[0].Method} under shift" : $"{ensembles.Count} ensembles under shift";
        int total = 1 + corruptions.Count * severities.Count, done = 0;
        var rows = ensembles.Select(_ => new List<CorruptionRow>()).ToList();

        void ScoreAll(string corruption, int severity, TensorDataset data)
        {
            var summary = new List<string>();
            for (int e = 0; e < ensembles.Count; e++)
            {
                var ensemble = ensembles[e];
                EnsembleReport report;
                using (var scope = NewDisposeScope())
                    report = EnsembleEvaluation.EvaluateUncalibrated(ensemble.Method, ensemble.MemberLogits(data, batchSize), data.Targets, ensemble.Rule, eceBins);
                rows[e].AddRange(report.Rows.Select(r => new CorruptionRow(corruption, severity, r.Name, r.Members, r.Accuracy, r.Nll, r.Ece, r.Brier)));
                summary.Add(string.Create(CultureInfo.InvariantCulture, $"{report.Ensemble.Accuracy * 100:F2} %"));
            }
            done++;
            progress.Report(new ProgressUpdate(label, done, total,
                $"{corruption} s{severity}: ensemble acc {string.Join(", ", summary)}", done == total));
        }

        ScoreAll(Clean, 0, clean);
        foreach (var corruption in corruptions)
            foreach (int severity in severities)
            {
                using var shifted = load(corruption, severity)
                    ?? throw new InvalidOperationException($"load returned no dataset for {corruption} severity {severity}.");
                if (shifted.Targets.shape[0] != clean.Targets.shape[0])
                    throw new ArgumentException($"load: {corruption} severity {severity} has {shifted.Targets.shape[0]} rows, the clean set {clean.Targets.shape[0]}.", nameof(load));
                ScoreAll(corruption, severity, shifted);
            }
        return ensembles.Select((ensemble, e) => new CorruptionEvaluationReport(ensemble.Method, ensemble.Rule, rows[e])).ToList();
    }

    static void RequireEnsembles(IReadOnlyList<IEnsemble> ensembles)
    {
        ArgumentNullException.ThrowIfNull(ensembles);
        if (ensembles.Count == 0) throw new ArgumentException("ensembles: empty; at least one ensemble is needed.", nameof(ensembles));
        for (int i = 0; i < ensembles.Count; i++)
            if (ensembles[i] is null) throw new ArgumentNullException(nameof(ensembles), $"ensembles: entry {i} is null.");
    }

    static void RequireNames(IReadOnlyList<string> corruptions)
    {
        ArgumentNullException.ThrowIfNull(corruptions);
        if (corruptions.Count == 0) throw new ArgumentException("corruptions: empty; at least one corruption is needed.", nameof(corruptions));
        for (int i = 0; i < corruptions.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(corruptions[i]))
                throw new ArgumentException($"corruptions: entry {i} is '{corruptions[i]}'; a corruption name is needed.", nameof(corruptions));
            if (corruptions.Take(i).Contains(corruptions[i]))
                throw new ArgumentException($"corruptions: '{corruptions[i]}' is listed twice.", nameof(corruptions));
        }
    }

    static void RequireSeverities(IReadOnlyList<int> severities)
    {
        ArgumentNullException.ThrowIfNull(severities);
        if (severities.Count == 0) throw new ArgumentException("severities: empty; at least one severity is needed.", nameof(severities));
        for (int i = 0; i < severities.Count; i++)
        {
            if (severities[i] is < 1 or > Corruption.Severities)
                throw new ArgumentOutOfRangeException(nameof(severities), severities[i], $"severities: {severities[i]} at index {i} is outside 1 to {Corruption.Severities}.");
            if (severities.Take(i).Contains(severities[i]))
                throw new ArgumentException($"severities: {severities[i]} is listed twice.", nameof(severities));
        }
    }
}
