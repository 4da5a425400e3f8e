using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>Turns member logits <c>[M, B, C]</c> into one ensemble distribution <c>[B, C]</c>.</summary>
public static class Combine
{
    /// <summary>
    /// Ensemble probabilities <c>[B, C]</c> (float32) from member logits <c>[M, B, C]</c> under <paramref name="rule"/>.
    /// For <see cref="CombinationRule.MajorityVote"/> the rows are vote shares, nudged by a tiny multiple of the
    /// mean probability so that ties resolve towards the more confident class and argmax is the vote winner.
    /// </summary>
    public static Tensor Probabilities(Tensor memberLogits, CombinationRule rule)
    {
        Shapes.RequireMembers(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        Tensor result = rule switch
        {
            CombinationRule.MeanProbabilities => memberLogits.softmax(2).mean([0]),
            CombinationRule.MeanLogits => memberLogits.mean([0]).softmax(1),
            CombinationRule.MajorityVote => VoteShares(memberLogits),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Log of <see cref="Probabilities"/>: usable as logits (softmax of it gives the ensemble distribution back).
    /// Same input as <see cref="Probabilities"/>: member logits <c>[M, B, C]</c> with at least one member.</summary>
    public static Tensor LogProbabilities(Tensor memberLogits, CombinationRule rule)
    {
        Shapes.RequireMembers(memberLogits, nameof(memberLogits));
        using var scope = NewDisposeScope();
        using Scalar logMembers = Math.Log(memberLogits.shape[0]), tiny = 1e-45;
        Tensor result = rule switch
        {
            CombinationRule.MeanProbabilities => memberLogits.log_softmax(2).logsumexp(0).sub(logMembers),
            CombinationRule.MeanLogits => memberLogits.mean([0]).log_softmax(1),
            _ => Probabilities(memberLogits, rule).clamp_min(tiny).log(),
        };
        return result.MoveToOuterDisposeScope();
    }

    static Tensor VoteShares(Tensor memberLogits)
    {
        long members = memberLogits.shape[0], classes = memberLogits.shape[2];
        using Scalar memberCount = members, tieWeight = 0.5 / members;
        var votes = nn.functional.one_hot(memberLogits.argmax(2), classes).to(memberLogits.dtype).sum(dim: 0).div(memberCount);
        var tieBreak = memberLogits.softmax(2).mean([0]).mul(tieWeight);
        var shares = votes + tieBreak;
        return shares / shares.sum(1, keepdim: true);
    }
}
