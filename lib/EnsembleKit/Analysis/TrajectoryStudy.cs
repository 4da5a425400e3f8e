using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// Everything seed 001 measures on a set of training trajectories (notebook 08), from one call: the weight-cosine and
/// disagreement matrices over all checkpoints (E1.1-E1.3), the disagreement between the final solutions, the summary
/// numbers of its claims, the t-SNE of the checkpoints with its spread over starts (E1.5), ensemble accuracy against size
/// (E1.6) and the final solutions' confusion matrices, with the change from run 1 to run 2 (E1.4).
/// </summary>
/// <param name="CheckpointLabels">One label a checkpoint, "r1 e0", ... (<see cref="TrajectoryRun.CheckpointLabels"/>).</param>
/// <param name="RunNames">One name a run, "run 1", "run 2", ...</param>
/// <param name="WeightCosine">Weight cosine between all checkpoints (<see cref="TrajectoryMatrices.WeightCosine"/>).</param>
/// <param name="Disagreement">Prediction disagreement between all checkpoints (<see cref="TrajectoryMatrices.Disagreement"/>).</param>
/// <param name="FinalDisagreement">Disagreement between the runs' final models on the test set, <c>[R, R]</c>.</param>
/// <param name="Summary">The claims' numbers from the three matrices (<see cref="TrajectorySummary.Of"/>).</param>
/// <param name="Tsne">The t-SNE of the checkpoints, PCA start (<see cref="TrajectoryEmbedding.Of"/>).</param>
/// <param name="TsneStarts">Its second-half share over the PCA start and Gaussian starts (<see cref="TsneStartSpread.SecondHalf"/>).</param>
/// <param name="AccuracyBySize">Ensemble accuracy of the final models against size, mean probabilities
/// (<see cref="DiversityMetric.AccuracyBySize"/>).</param>
/// <param name="FinalConfusions">Each final model's confusion matrix on the test set.</param>
/// <param name="FirstTwoRunsConfusion">Run 2's confusion matrix minus run 1's (<see cref="DiversityMetric.ConfusionDifference"/>).</param>
public sealed record TrajectoryStudy(IReadOnlyList<string> CheckpointLabels, IReadOnlyList<string> RunNames,
    double[,] WeightCosine, double[,] Disagreement, double[,] FinalDisagreement, TrajectorySummary Summary,
    TrajectoryEmbedding Tsne, TsneStartSpread TsneStarts, IReadOnlyList<EnsembleSizePoint> AccuracyBySize,
    IReadOnlyList<long[,]> FinalConfusions, ConfusionComparison FirstTwoRunsConfusion)
{
    /// <summary>
    /// Studies <paramref name="runs"/> (at least 2, each trained <paramref name="epochs"/> epochs, recorded every epoch as
    /// <see cref="TrajectoryRun.Train"/> does) with their final models scored on <paramref name="test"/>: ensemble sizes
    /// averaged over <paramref name="sizeOrderings"/> member orders (seed 0), the t-SNE spread over the PCA start and
    /// <paramref name="tsneRandomStarts"/> Gaussian ones. Deterministic: every draw has its own seed.
    /// </summary>
    public static TrajectoryStudy Of(IReadOnlyList<TrajectoryRun> runs, TensorDataset test, int epochs, int sizeOrderings = 20, int tsneRandomStarts = 4)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(test);
        if (runs.Count < 2) throw new ArgumentException($"a trajectory study compares runs: needs at least 2, got {runs.Count}.", nameof(runs));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeOrderings, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(tsneRandomStarts);

        var points = TrajectoryRun.Checkpoints(runs);
        var cosine = TrajectoryMatrices.WeightCosine(points);
        var disagreement = TrajectoryMatrices.Disagreement(points);
        using var scope = NewDisposeScope();
        var finalLogits = Predict.MemberLogits(runs.Select(r => r.Model), test);
        var finalDisagreement = DiversityMetric.DisagreementMatrix(finalLogits);
        var tsne = TrajectoryEmbedding.Of(runs, epochs);
        var confusions = DiversityMetric.MemberConfusionMatrices(finalLogits, test.Targets);
        return new TrajectoryStudy(TrajectoryRun.CheckpointLabels(runs), runs.Select((_, i) => $"run {i + 1}").ToList(),
            cosine, disagreement, finalDisagreement, TrajectorySummary.Of(cosine, disagreement, finalDisagreement, runs.Count, epochs),
            tsne, TsneStartSpread.SecondHalf(runs, epochs, tsneRandomStarts, pcaStart: tsne),
            DiversityMetric.AccuracyBySize(finalLogits, test.Targets, CombinationRule.MeanProbabilities, sizeOrderings, seed: 0),
            confusions, DiversityMetric.ConfusionDifference(confusions[0], confusions[1]));
    }
}
