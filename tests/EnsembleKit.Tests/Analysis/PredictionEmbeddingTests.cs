using EnsembleKit.Analysis;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Analysis;

public class PredictionEmbeddingTests
{
    static readonly TsneOptions Options = new() { Perplexity = 10, Iterations = 250, PcaInitialization = true, Seed = 0 };

    static Mlp Model()
    {
        manual_seed(3);
        var model = new Mlp([(784, 16), (16, 10)]);
        model.eval();
        return model;
    }

    [Fact]
    public void ItIsTheTsneOfTheSoftmaxOutputsWithTheirTrueAndPredictedClasses()
    {
        using var data = TestSupport.FashionMnistSubset(train: false, 60);
        using var model = Model();
        var map = PredictionEmbedding.Of(model, data, Options);

        using var logits = Predict.Logits(model, data);
        using var probabilities = logits.softmax(1);
        var expected = Tsne.Run(probabilities, Options).Embedding;
        Assert.Equal(expected.Cast<double>(), map.Embedding.Cast<double>());
        Assert.Equal(new[] { 60, 2 }, new[] { map.Embedding.GetLength(0), map.Embedding.GetLength(1) });
        Assert.Equal(data.Targets.data<long>().ToArray(), map.Targets);
        using var argmax = logits.argmax(1);
        Assert.Equal(argmax.data<long>().ToArray(), map.Predicted);
        Assert.Equal(map.Targets.Zip(map.Predicted, (t, p) => t != p), map.Wrong);
        Assert.Equal(map.Wrong.Count(w => w), map.Errors);
        Assert.InRange(map.Errors, 1, 59);   // an untrained net gets some right and some wrong
    }

    [Fact]
    public void ItLeavesNoTensorsBehindAndRefusesTooFewInputs()
    {
        using var data = TestSupport.FashionMnistSubset(train: false, 60);
        using var few = TestSupport.FashionMnistSubset(train: false, 20);
        using var model = Model();
        PredictionEmbedding.Of(model, data, Options);
        long live = TestSupport.LiveTensorCount();
        PredictionEmbedding.Of(model, data, Options);
        Assert.Equal(live, TestSupport.LiveTensorCount());
        Assert.Throws<ArgumentException>(() => PredictionEmbedding.Of(model, few, Options));   // 20 <= 3 x perplexity
        Assert.Throws<ArgumentNullException>(() => PredictionEmbedding.Of(null!, data, Options));
    }
}
