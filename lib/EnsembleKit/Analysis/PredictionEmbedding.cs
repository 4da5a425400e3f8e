using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// Where a classifier puts each input in its output space (seed 002 §7.2.1, Fig. 7.2; E2.7.3): a t-SNE of its softmax
/// outputs, with each input's true and predicted class, so the one embedding can be drawn coloured by either, or with the
/// mispredictions only. Embeddings of several models (a parent and its children) show whether they err on different inputs.
/// </summary>
/// <param name="Embedding"><c>[N, 2]</c> t-SNE coordinates (<see cref="TsneOptions.Dimensions"/> columns in general).</param>
/// <param name="Targets">The N true classes.</param>
/// <param name="Predicted">The N predicted classes (arg max of the logits).</param>
public sealed record PredictionEmbedding(double[,] Embedding, IReadOnlyList<long> Targets, IReadOnlyList<long> Predicted)
{
    /// <summary>Per input, whether the prediction is wrong.</summary>
    public IReadOnlyList<bool> Wrong => Targets.Zip(Predicted, (t, p) => t != p).ToList();

    /// <summary>How many inputs are mispredicted.</summary>
    public int Errors => Wrong.Count(w => w);

    /// <summary>Embeds <paramref name="model"/>'s softmax outputs on <paramref name="data"/> (<see cref="Tsne.Run(Tensor, TsneOptions?)"/>).</summary>
    /// <exception cref="ArgumentException">Too few inputs for the perplexity (N ≤ 3·perplexity), as <see cref="Tsne"/> refuses.</exception>
    public static PredictionEmbedding Of(nn.Module<Tensor, Tensor> model, TensorDataset data, TsneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var logits = Predict.Logits(model, data);
        var predicted = logits.argmax(1).cpu().data<long>().ToArray();
        var embedding = Tsne.Run(logits.softmax(1), options).Embedding;
        var targets = data.Targets.cpu().data<long>().ToArray();
        return new PredictionEmbedding(embedding, targets, predicted);
    }
}
