using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// S2 eq 7.1 pairwise output correlation <c>[M, M]</c>: for each input, the Pearson correlation between two members'
    /// C-dimensional output vectors, averaged over the B inputs (S2 Fig 7.1's heat-map). On probabilities by default
    /// (this function applies the softmax; the seed does not say which it used), on the raw logits when
    /// <paramref name="onLogits"/> is true. A constant output vector (e.g. a uniform distribution) follows the rule of
    /// <see cref="CorrectnessCorrelationMatrix"/>: 1 against an identical vector, else 0. Diagonal 1.
    /// <paramref name="memberLogits"/>: logits <c>[M, B, C]</c> with C ≥ 2.
    /// </summary>
    public static double[,] OutputCorrelationMatrix(Tensor memberLogits, bool onLogits = false)
    {
        ValueGuards.RequireMembers(memberLogits, nameof(memberLogits));
        if (memberLogits.shape[1] == 0 || memberLogits.shape[2] < 2)
            throw new ArgumentException($"need at least one input and two classes; got {Shapes.Describe(memberLogits)}.", nameof(memberLogits));
        using var scope = NewDisposeScope();
        var x = memberLogits.to(ScalarType.Float64);
        if (!onLogits) x = x.softmax(2);
        var centred = x - x.mean([2], keepdim: true); // [M, B, C]
        var cov = einsum("ibc,jbc->ijb", centred, centred); // [M, M, B]
        var norms = centred.square().sum(2).sqrt(); // [M, B]
        var denominator = norms.unsqueeze(1) * norms.unsqueeze(0);
        using Scalar zero = 0.0, minusOne = -1.0, one = 1.0;
        var degenerate = denominator.eq(zero);
        var corr = cov / where(degenerate, ones_like(denominator), denominator);
        if (degenerate.any().item<bool>()) // rare (a constant output vector): only then build the [M, M, B] identity mask
            corr = where(degenerate, x.unsqueeze(1).eq(x.unsqueeze(0)).all(3).to(ScalarType.Float64), corr);
        corr = corr.clamp(minusOne, one);
        return HostMatrix.Of(corr.mean([2]));
    }
}
