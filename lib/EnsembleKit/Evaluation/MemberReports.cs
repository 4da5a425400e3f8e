using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Evaluation;

/// <summary>Classification reports of an ensemble's members and of their combination, from the member logits.</summary>
public static class MemberReports
{
    /// <summary>
    /// "member 1" .. "member M" from <paramref name="memberLogits"/> <c>[M, N, C]</c>, then <paramref name="ensembleName"/>
    /// for the members combined by <paramref name="rule"/> (<see cref="Combine.LogProbabilities"/>), each scored by
    /// <see cref="ClassificationReport.FromLogits"/> against int64 <paramref name="targets"/> <c>[N]</c>. The list is the
    /// caller's, to add more rows to (a student, say).
    /// </summary>
    public static List<ClassificationReport> WithEnsemble(Tensor memberLogits, Tensor targets, CombinationRule rule, string ensembleName)
    {
        ArgumentNullException.ThrowIfNull(memberLogits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentException.ThrowIfNullOrWhiteSpace(ensembleName);
        if (memberLogits.dim() != 3) throw new ArgumentException($"member logits must be [M, N, C]; got [{string.Join(", ", memberLogits.shape)}].", nameof(memberLogits));
        var reports = new List<ClassificationReport>();
        for (int m = 0; m < memberLogits.shape[0]; m++)
        {
            using var logits = memberLogits[m];
            reports.Add(ClassificationReport.FromLogits($"member {m + 1}", logits, targets));
        }
        using var combined = Combine.LogProbabilities(memberLogits, rule);
        reports.Add(ClassificationReport.FromLogits(ensembleName, combined, targets));
        return reports;
    }
}
