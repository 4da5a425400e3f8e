using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// Pairwise Pearson correlation <c>[M, M]</c> of the members' correct/incorrect indicators
    /// (<c>1[argmax logits_m(x_b) = y_b]</c> over the B inputs). No softmax is needed (argmax only).
    /// Degenerate case: when either indicator vector is constant (a member right on every input, or wrong on every input)
    /// the covariance is 0 and Pearson's formula is 0/0; the kit then returns 1 if the two vectors are identical and 0 otherwise.
    /// So the diagonal is always 1. <paramref name="memberLogits"/>: <c>[M, B, C]</c>; <paramref name="targets"/>: <c>[B]</c> int64.
    /// </summary>
    public static double[,] CorrectnessCorrelationMatrix(Tensor memberLogits, Tensor targets)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        if (memberLogits.shape[1] == 0) throw new ArgumentException($"memberLogits has no inputs: {Shapes.Describe(memberLogits)}.", nameof(memberLogits));
        using var scope = NewDisposeScope();
        var correct = memberLogits.argmax(2).eq(targets.to(memberLogits.device).unsqueeze(0)).to(ScalarType.Float64); // [M, B]
        return HostMatrix.Of(PearsonRows(correct));
    }

    /// <summary>
    /// Pearson correlation <c>[M, M]</c> between the rows of <paramref name="rows"/> <c>[M, N]</c> (float64), with the
    /// degenerate rule of <see cref="CorrectnessCorrelationMatrix"/>: a constant row correlates 1 with an identical row, 0 otherwise.
    /// </summary>
    internal static Tensor PearsonRows(Tensor rows)
    {
        var centred = rows - rows.mean([1], keepdim: true);
        var cov = centred.matmul(centred.t());
        var norms = centred.square().sum(1).sqrt();
        var denominator = norms.unsqueeze(1) * norms.unsqueeze(0);
        var identical = rows.unsqueeze(1).eq(rows.unsqueeze(0)).all(2).to(ScalarType.Float64);
        using Scalar zero = 0.0, minusOne = -1.0, one = 1.0;
        var degenerate = denominator.eq(zero);
        var corr = where(degenerate, identical, cov / where(degenerate, ones_like(denominator), denominator));
        return corr.clamp(minusOne, one);
    }
}
