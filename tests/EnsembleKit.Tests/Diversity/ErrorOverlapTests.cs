using EnsembleKit.Diversity;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Diversity;

public sealed class ErrorOverlapTests
{
    /// <summary>Logits <c>[M, B, 3]</c> whose argmax is each member's listed prediction.</summary>
    static Tensor Predicting(params long[][] predictions) =>
        stack(predictions.Select(p => nn.functional.one_hot(tensor(p), 3).to(ScalarType.Float32)).ToList(), 0);

    [Fact]
    public void CountsEachPairsMistakesByHand()
    {
        using var targets = tensor(new long[] { 0, 1, 2, 0 });
        // member 0 is always right; member 1 is wrong on inputs 0 and 3; member 2 on inputs 0 and 1
        using var logits = Predicting([0, 1, 2, 0], [1, 1, 2, 1], [1, 0, 2, 0]);
        var pairs = DiversityMetric.ErrorOverlap(logits, targets);
        Assert.Equal(
        [
            new ErrorOverlapPair(0, 1, 0, 2, 0, 0.0, 0.0),
            new ErrorOverlapPair(0, 2, 0, 2, 0, 0.0, 0.0),
            new ErrorOverlapPair(1, 2, 2, 2, 1, 1 / 4.0, 1 / 3.0),   // both wrong on input 0 only; either wrong on 0, 1, 3
        ], pairs);
    }

    [Fact]
    public void TwoFlawlessMembersHaveNoJaccardAndRefuseBadShapes()
    {
        using var targets = tensor(new long[] { 2, 1 });
        using var logits = Predicting([2, 1], [2, 1]);
        var pair = Assert.Single(DiversityMetric.ErrorOverlap(logits, targets));
        Assert.Equal((0, 0, 0, 0.0), (pair.ErrorsA, pair.ErrorsB, pair.BothWrong, pair.DoubleFault));
        Assert.True(double.IsNaN(pair.Jaccard));
        using var flat = zeros(2, 3);
        Assert.ThrowsAny<ArgumentException>(() => DiversityMetric.ErrorOverlap(flat, targets));
        using var three = tensor(new long[] { 0, 1, 2 });
        Assert.ThrowsAny<ArgumentException>(() => DiversityMetric.ErrorOverlap(logits, three));
    }
}
