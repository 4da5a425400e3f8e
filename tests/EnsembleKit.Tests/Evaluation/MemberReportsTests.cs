using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class MemberReportsTests
{
    [Fact]
    public void EachMemberThenTheCombination()
    {
        // two members, two images of two classes: member 1 right on both, member 2 wrong on the second
        using var memberLogits = tensor(new[] { 2f, 0f, 0f, 2f, 1f, 0f, 1f, 0f }, new long[] { 2, 2, 2 });
        using var targets = tensor(new long[] { 0, 1 });
        var reports = MemberReports.WithEnsemble(memberLogits, targets, CombinationRule.MeanLogits, "ensemble (teacher)");
        Assert.Equal(["member 1", "member 2", "ensemble (teacher)"], reports.Select(r => r.Name));
        Assert.Equal([1.0, 0.5], reports.Take(2).Select(r => r.Accuracy));
        // mean of logits: image 1 (1.5, 0) right, image 2 (0.5, 1) right
        Assert.Equal(1.0, reports[2].Accuracy);
        using var combined = Combine.LogProbabilities(memberLogits, CombinationRule.MeanLogits);
        Assert.Equal(ClassificationReport.FromLogits("ensemble (teacher)", combined, targets), reports[2]);
        Assert.Equal(ClassificationReport.FromLogits("member 2", memberLogits[1], targets), reports[1]);
        reports.Add(reports[0]);
        Assert.Equal(4, reports.Count);
    }

    [Fact]
    public void BadInputIsRefused()
    {
        using var flat = zeros(2, 2);
        using var targets = tensor(new long[] { 0, 1 });
        Assert.Contains("[M, N, C]", Assert.Throws<ArgumentException>(() => MemberReports.WithEnsemble(flat, targets, CombinationRule.MeanLogits, "e")).Message);
        using var logits = zeros(1, 2, 2);
        Assert.Throws<ArgumentException>(() => MemberReports.WithEnsemble(logits, targets, CombinationRule.MeanLogits, ""));
    }
}
