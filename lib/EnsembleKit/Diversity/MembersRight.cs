using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

/// <summary>
/// The inputs on which exactly <paramref name="MembersRight"/> of the <paramref name="Members"/> members are right, and
/// how many of them the ensemble gets right: where all members agree the ensemble can only follow, where they split it
/// can fix what some members get wrong.
/// </summary>
/// <param name="MembersRight">How many members classify these inputs correctly.</param>
/// <param name="Members">The ensemble's member count M.</param>
/// <param name="Inputs">Inputs with exactly <paramref name="MembersRight"/> members right.</param>
/// <param name="EnsembleRight">Of those, inputs the combined prediction classifies correctly.</param>
public sealed record MembersRightGroup(int MembersRight, int Members, long Inputs, long EnsembleRight)
{
    /// <summary><see cref="EnsembleRight"/> over <see cref="Inputs"/> in percent; 0 for an empty group.</summary>
    public double EnsembleRightPercent => Inputs == 0 ? 0 : 100.0 * EnsembleRight / Inputs;
}

public static partial class DiversityMetric
{
    /// <summary>
    /// Groups the inputs by how many members are right on them, from all M down to none (M + 1 groups), and counts in each
    /// group the inputs the combined prediction gets right. A member or the ensemble is right on an input when the argmax
    /// of its row (of <paramref name="memberLogits"/> <c>[M, B, C]</c>, of <paramref name="combined"/> <c>[B, C]</c>:
    /// logits, probabilities or their logs; ties to the lowest class) equals <paramref name="targets"/> <c>[B]</c>.
    /// </summary>
    public static IReadOnlyList<MembersRightGroup> MembersRight(Tensor memberLogits, Tensor combined, Tensor targets)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        ArgumentNullException.ThrowIfNull(combined);
        if (combined.dim() != 2 || combined.shape[0] != memberLogits.shape[1] || combined.shape[1] != memberLogits.shape[2])
            throw new ArgumentException($"combined must be [B, C] = [{memberLogits.shape[1]}, {memberLogits.shape[2]}] like the members' rows; got [{string.Join(", ", combined.shape)}].", nameof(combined));
        using var scope = NewDisposeScope();
        int members = (int)memberLogits.shape[0];
        var truth = targets.to(memberLogits.device);
        var howManyRight = memberLogits.argmax(2).eq(truth.unsqueeze(0)).sum(0, type: ScalarType.Int64);   // [B]
        var ensembleRight = combined.to(memberLogits.device).argmax(1).eq(truth);                      // [B]
        // Counts per group in one pass: bincount over k, and over k where the ensemble is right.
        var inputs = howManyRight.bincount(null, members + 1).cpu().data<long>().ToArray();
        var fixedCounts = howManyRight.masked_select(ensembleRight).bincount(null, members + 1).cpu().data<long>().ToArray();
        return Enumerable.Range(0, members + 1).Reverse().Select(k => new MembersRightGroup(k, members, inputs[k], fixedCounts[k])).ToList();
    }
}
