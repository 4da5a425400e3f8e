using EnsembleKit.Data;
using EnsembleKit.Evaluation;
using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

/// <summary><see cref="SiblingPairScore"/> and <see cref="OutputCorrelationSummary"/> on fixed-output models, against hand values.</summary>
public class SiblingScoresTests
{
    /// <summary>A "model" that ignores its input's values and returns fixed logits, one row per input row.</summary>
    sealed class Fixed(float[,] logits) : nn.Module<Tensor, Tensor>("Fixed")
    {
        readonly float[,] rows = logits;

        public override Tensor forward(Tensor input)
        {
            int n = (int)input.shape[0], c = rows.GetLength(1);
            var values = new float[n * c];
            for (int i = 0; i < n; i++) for (int k = 0; k < c; k++) values[i * c + k] = rows[i % rows.GetLength(0), k];
            return tensor(values, [n, c]);
        }
    }

    static TensorDataset FourSamples() => new(zeros(4, 1), tensor(new long[] { 0, 1, 0, 1 }), 2, "four");

    [Fact]
    public void PairScoreCountsEachSiblingTheirEnsembleAndDisagreement()
    {
        using var data = FourSamples();
        // sibling 1 predicts 0, 1, 1, 1 (3 of 4 right); sibling 2 predicts 0, 0, 0, 1 (3 of 4); they disagree on samples 2 and 3.
        using var a = new Fixed(new float[,] { { 2, 0 }, { 0, 2 }, { 0, 1 }, { 0, 3 } });
        using var b = new Fixed(new float[,] { { 3, 0 }, { 1, 0 }, { 3, 0 }, { 0, 1 } });
        var score = SiblingPairScore.Of("pair", [a, b], data);
        Assert.Equal("pair", score.Pair);
        Assert.Equal(75.0, score.Sibling1);
        Assert.Equal(75.0, score.Sibling2);
        // mean of the two softmaxes, by hand: p(class 1) = 0.083, 0.575, 0.389, 0.842 -> predictions 0, 1, 0, 1, all right.
        Assert.Equal(100.0, score.PairEnsemble);
        Assert.Equal(0.5, score.PredictionDisagreement);
        Assert.Throws<ArgumentException>(() => SiblingPairScore.Of("one", [a], data));
    }

    [Fact]
    public void CorrelationSummaryAveragesTheUnorderedPairs()
    {
        using var data = FourSamples();
        using var a = new Fixed(new float[,] { { 2, 0 }, { 0, 2 }, { 0, 1 }, { 0, 3 } });
        using var b = new Fixed(new float[,] { { 3, 0 }, { 1, 0 }, { 3, 0 }, { 0, 1 } });
        using var c = new Fixed(new float[,] { { 2, 0 }, { 0, 2 }, { 0, 1 }, { 0, 3 } });   // a copy of a
        var summary = OutputCorrelationSummary.Of("three", [a, b, c], data);
        Assert.Equal(3, summary.Members);
        Assert.Equal(1.0, summary.Matrix[0, 2], 6);   // identical outputs
        double[] pairs = [summary.Matrix[0, 1], summary.Matrix[0, 2], summary.Matrix[1, 2]];
        Assert.Equal(pairs.Average(), summary.Mean, 12);
        double sd = Math.Sqrt(pairs.Sum(p => (p - pairs.Average()) * (p - pairs.Average())) / 2);
        Assert.Equal(sd, summary.Std, 12);
        Assert.Equal(summary.Matrix[0, 1], summary.Matrix[1, 2], 12);   // b against a and against its copy
        // By hand: with two classes each input's correlation is +1 when both members favour the same class, else -1. a and b
        // agree on inputs 0 and 3 and not on 1 and 2: 0. So the pairs are 0, 1, 0: mean 1/3, std sqrt(1/3) (n - 1).
        Assert.Equal(0.0, summary.Matrix[0, 1], 12);
        Assert.Equal(1.0 / 3, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(1.0 / 3), summary.Std, 12);
        // The ensemble of [a, b, a] by mean probability: on input 2, p(class 0) = (2 σ(-1) + σ(3)) / 3 = (2 · 0.269 + 0.953) / 3 = 0.497,
        // wrong (target 0); right on the other three: 75 %. The pair a, b alone would be right on all four.
        Assert.Equal(75.0, summary.Accuracy, 12);
        Assert.Throws<ArgumentException>(() => OutputCorrelationSummary.Of("one", [a], data));
    }
}
