using EnsembleKit.Analysis;
using Plotly.NET;

namespace EnsembleKit.Plotting;

public static partial class Charts
{
    /// <summary>
    /// A model's <see cref="PredictionEmbedding"/> drawn three times, as in seed 002's Fig. 7.2: coloured by true class, by
    /// predicted class, and the mispredictions only (coloured by true class, at their place in the whole embedding).
    /// </summary>
    /// <param name="embedding">The model's embedding.</param>
    /// <param name="classNames">The name of each class index.</param>
    /// <param name="model">The model's name, which starts each title.</param>
    public static IReadOnlyList<GenericChart> PredictionEmbeddingScatters(PredictionEmbedding embedding, IReadOnlyList<string> classNames, string model)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentNullException.ThrowIfNull(classNames);
        string Name(long c) => c >= 0 && c < classNames.Count ? classNames[(int)c]
            : throw new ArgumentException($"class {c} has no name; {classNames.Count} names were given.", nameof(classNames));
        var truth = embedding.Targets.Select(Name).ToList();
        var predicted = embedding.Predicted.Select(Name).ToList();
        return
        [
            EmbeddingScatter(embedding.Embedding, truth, connect: false, labelSteps: false, title: $"{model}: coloured by true class"),
            EmbeddingScatter(embedding.Embedding, predicted, connect: false, labelSteps: false, title: $"{model}: coloured by predicted class"),
            EmbeddingScatter(embedding.Embedding, truth, connect: false, labelSteps: false, include: embedding.Wrong,
                title: $"{model}: the {embedding.Errors} mispredictions, coloured by true class"),
        ];
    }
}
