using EnsembleKit.Diversity;

namespace EnsembleKit.Analysis;

/// <summary>
/// Seed 001's t-SNE of training trajectories: every checkpoint of every run placed by its test-set probabilities
/// (<see cref="TrajectoryMatrices.ProbabilityRows"/>), and how well the picture keeps the runs apart, as the share of
/// checkpoints whose nearest neighbour is from the same run: over the trained checkpoints (initialisations left out), over
/// the second half of training, and over the second half in the probability space itself, before t-SNE, so a reader sees
/// whether t-SNE made the separation up.
/// </summary>
/// <param name="Result">The 2-D t-SNE embedding, one row a checkpoint in <see cref="TrajectoryRun.Checkpoints"/> order.</param>
/// <param name="RunLabels">Each checkpoint's run ("run 1", ...).</param>
/// <param name="Epochs">Each checkpoint's epoch, 0 for the initialisation.</param>
/// <param name="Trained">Same-run nearest neighbours among the trained checkpoints.</param>
/// <param name="SecondHalf">The same among the checkpoints after epoch <c>epochs / 2</c>.</param>
/// <param name="SecondHalfBeforeTsne">The same for those checkpoints in the probability space.</param>
public sealed record TrajectoryEmbedding(TsneResult Result, IReadOnlyList<string> RunLabels, IReadOnlyList<int> Epochs,
    NeighbourAgreement Trained, NeighbourAgreement SecondHalf, NeighbourAgreement SecondHalfBeforeTsne)
{
    /// <summary>
    /// Embeds the checkpoints of <paramref name="runs"/>, each trained for <paramref name="epochs"/> epochs: exact t-SNE
    /// with PCA initialisation (or, with <paramref name="pcaStart"/> false, a Gaussian start drawn from
    /// <paramref name="seed"/>), perplexity 10 or a third of the other points when fewer.
    /// </summary>
    public static TrajectoryEmbedding Of(IReadOnlyList<TrajectoryRun> runs, int epochs, int seed = 0, bool pcaStart = true)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2) throw new ArgumentException($"a trajectory embedding compares runs: needs at least 2, got {runs.Count}.", nameof(runs));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        var points = TrajectoryRun.Checkpoints(runs);
        var rows = TrajectoryMatrices.ProbabilityRows(points);
        var tsne = Tsne.Run(rows, new TsneOptions { Perplexity = Math.Min(10, (points.Count - 1) / 3.0), PcaInitialization = pcaStart, Seed = seed });
        var labels = TrajectoryRun.RunLabels(runs);
        var trained = points.Select(p => p.Epoch >= 0).ToList();
        var secondHalf = points.Select(p => p.Epoch + 1 > epochs / 2).ToList();
        return new TrajectoryEmbedding(tsne, labels, points.Select(p => p.Epoch + 1).ToList(),
            NeighbourLabelAgreement.Score(tsne.Embedding, labels, include: trained),
            NeighbourLabelAgreement.Score(tsne.Embedding, labels, include: secondHalf),
            NeighbourLabelAgreement.Score(rows, labels, include: secondHalf));
    }

    /// <summary>The t-SNE run and the three agreements, a line each.</summary>
    public string Describe() => $"t-SNE: {Result.Method}, KL {Result.KlDivergence:F3}\n" +
        $"  trained checkpoints: {Trained}\n  second half: {SecondHalf}\n  second half, before t-SNE: {SecondHalfBeforeTsne}";
}
