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
}
