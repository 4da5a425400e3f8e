using EnsembleKit.Analysis;
using EnsembleKit.Diversity;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>Test accuracy along each run's trajectory, one line a run, epoch 0 being the initialisation.</summary>
    public static GenericChart TrajectoryAccuracy(IReadOnlyList<TrajectoryRun> runs, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("no runs to draw.", nameof(runs));
        return Lines(runs.Select((r, i) => new LineSeries($"run {i + 1}", r.Points.Select(p => (double)(p.Epoch + 1)).ToList(), r.Points.Select(p => p.Accuracy * 100).ToList())),
            title, "epoch (0 = initialisation)", "test accuracy, %");
    }

    /// <summary>A trajectory embedding (<see cref="TrajectoryEmbedding.Of"/>): each run's checkpoints joined in epoch order.</summary>
    public static GenericChart TrajectoryTsne(TrajectoryEmbedding embedding, string title)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        return EmbeddingScatter(embedding.Result.Embedding, embedding.RunLabels, embedding.Epochs, title: title);
    }

    /// <summary>
    /// The four pictures of one model's trajectory study, titled "{name}: ...": test accuracy along each trajectory, weight
    /// cosine and prediction disagreement between all checkpoints, and the t-SNE of the checkpoints.
    /// </summary>
    public static IReadOnlyList<GenericChart> TrajectoryStudyCharts(IReadOnlyList<TrajectoryRun> runs, TrajectoryStudy study, string name)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return
        [
            TrajectoryAccuracy(runs, $"{name}: test accuracy along each trajectory"),
            PairwiseHeatmap(study.WeightCosine, study.CheckpointLabels, $"{name}: weight cosine between all checkpoints of all runs", "cosine", range: (-1, 1), showValues: false),
            PairwiseHeatmap(study.Disagreement, study.CheckpointLabels, $"{name}: prediction disagreement between all checkpoints", "disagreement", range: (0, 1), showValues: false),
            TrajectoryTsne(study.Tsne, $"{name}: t-SNE of the checkpoints' test predictions"),
        ];
    }
}
