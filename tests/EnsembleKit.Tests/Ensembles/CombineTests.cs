using EnsembleKit.Ensembles;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

public class CombineTests
{
    static Tensor TwoMembers() => TestSupport.Tensor2D([[0.0, 1.0], [2.0, 0.0]]).reshape(2, 1, 2); // [M=2, B=1, C=2]

    [Fact]
    public void MeanProbabilitiesAveragesSoftmaxes()
    {
        using var logits = TwoMembers();
        using var p = Combine.Probabilities(logits, CombinationRule.MeanProbabilities);
        double a = 1 / (1 + Math.E), b = Math.Exp(2) / (1 + Math.Exp(2)); // softmax(0,1)[0], softmax(2,0)[0]
        Assert.Equal((a + b) / 2, p[0, 0].item<double>(), 12);
        Assert.Equal(1 - (a + b) / 2, p[0, 1].item<double>(), 12);
    }

    [Fact]
    public void MeanLogitsIsSoftmaxOfTheMean()
    {
        using var logits = TwoMembers();
        using var p = Combine.Probabilities(logits, CombinationRule.MeanLogits);
        // mean logits (1, 0.5)
        Assert.Equal(Math.Exp(1) / (Math.Exp(1) + Math.Exp(0.5)), p[0, 0].item<double>(), 12);
    }

    [Fact]
    public void LogProbabilitiesMatchProbabilities()
    {
        using var logits = randn(4, 5, 3, dtype: ScalarType.Float64);
        foreach (var rule in Enum.GetValues<CombinationRule>())
        {
            using var p = Combine.Probabilities(logits, rule);
            using var lp = Combine.LogProbabilities(logits, rule);
            Assert.True(p.allclose(lp.exp(), rtol: 1e-9, atol: 1e-12), rule.ToString());
        }
    }

    [Fact]
    public void MajorityVoteFollowsTheVotesAndBreaksTiesByConfidence()
    {
        // three members: two vote class 1 weakly, one votes class 0 strongly -> vote says 1, mean prob says 0
        using var logits = tensor(new double[] { 0, 0.1, 0, 0.1, 10, 0 }, new long[] { 3, 1, 2 });
        using var vote = Combine.Probabilities(logits, CombinationRule.MajorityVote);
        using var mean = Combine.Probabilities(logits, CombinationRule.MeanProbabilities);
        Assert.Equal(1, vote.argmax(1).item<long>());
        Assert.Equal(0, mean.argmax(1).item<long>());
        // two members split 1-1: tie goes to the more confident class
        using var tie = tensor(new double[] { 0, 0.1, 3, 0 }, new long[] { 2, 1, 2 });
        using var tieVote = Combine.Probabilities(tie, CombinationRule.MajorityVote);
        Assert.Equal(0, tieVote.argmax(1).item<long>());
        Assert.Equal(1.0, tieVote.sum().item<double>(), 12);
    }

    [Fact]
    public void RejectsWrongLayout()
    {
        using var flat = zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => Combine.Probabilities(flat, CombinationRule.MeanProbabilities));
        Assert.Contains("[M, B, C]", e.Message);
        Assert.Contains("[3, 4]", e.Message);
    }

    /// <summary>LogProbabilities used to skip the check: a [B, C] input was read as B members of C-long batches.</summary>
    [Theory]
    [InlineData(CombinationRule.MeanProbabilities)]
    [InlineData(CombinationRule.MeanLogits)]
    [InlineData(CombinationRule.MajorityVote)]
    public void LogProbabilitiesChecksTheMembersAsProbabilitiesDoes(CombinationRule rule)
    {
        using var flat = zeros(3, 4);
        var e = Assert.Throws<ArgumentException>(() => Combine.LogProbabilities(flat, rule));
        Assert.Equal("memberLogits", e.ParamName);
        Assert.Contains("[M, B, C]", e.Message);
        Assert.Contains("[3, 4]", e.Message);

        using var noMembers = zeros(0, 2, 3);
        e = Assert.Throws<ArgumentException>(() => Combine.LogProbabilities(noMembers, rule));
        Assert.Contains("no members", e.Message);
        Assert.Equal(e.Message, Assert.Throws<ArgumentException>(() => Combine.Probabilities(noMembers, rule)).Message);

        using var noClasses = zeros(2, 2, 0);
        e = Assert.Throws<ArgumentException>(() => Combine.LogProbabilities(noClasses, rule));
        Assert.Contains("no classes", e.Message);

        using var integers = zeros(2, 2, 3, dtype: ScalarType.Int64);
        e = Assert.Throws<ArgumentException>(() => Combine.LogProbabilities(integers, rule));
        Assert.Contains("floating point", e.Message);
    }
}
