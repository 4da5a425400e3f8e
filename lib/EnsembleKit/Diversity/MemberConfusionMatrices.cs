using EnsembleKit.Backend;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// One confusion matrix <c>[C, C]</c> of counts per member (row = true class, column = predicted class, as
    /// <see cref="Metric.ConfusionMatrix"/>), from <paramref name="memberLogits"/> <c>[M, B, C]</c> (argmax; no softmax needed)
    /// and <paramref name="targets"/> <c>[B]</c> int64. Seed 001 compares them epoch-wise (members = checkpoints of one run)
    /// and solution-wise (members = runs from different initialisations).
    /// </summary>
    public static IReadOnlyList<long[,]> MemberConfusionMatrices(Tensor memberLogits, Tensor targets)
    {
        ValueGuards.RequireMembersAndTargets(memberLogits, targets, nameof(memberLogits));
        var result = new List<long[,]>();
        for (long m = 0; m < memberLogits.shape[0]; m++)
        {
            using var member = memberLogits[m];
            result.Add(Metric.ConfusionMatrix(member, targets));
        }
        return result;
    }
}
