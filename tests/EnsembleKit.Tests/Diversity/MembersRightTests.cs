using EnsembleKit.Diversity;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Diversity;

public sealed class MembersRightTests
{
    /// <summary>Rows <c>[B, 3]</c> whose argmax is the listed prediction.</summary>
    static Tensor Rows(long[] predictions) => nn.functional.one_hot(tensor(predictions), 3).to(ScalarType.Float32);

    static Tensor Predicting(params long[][] predictions) => stack(predictions.Select(Rows).ToList(), 0);

    [Fact]
    public void GroupsInputsByHowManyMembersAreRightAndCountsTheEnsemblesHits()
    {
        using var targets = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        // per input, members right: 3, 2, 2, 1, 0, 1
        using var members = Predicting([0, 1, 2, 0, 0, 2], [0, 1, 0, 1, 0, 0], [0, 0, 2, 1, 2, 1]);
        // the ensemble: right on inputs 0, 1, 3 and 4; wrong on 2 and 5
        using var combined = Rows([0, 1, 0, 0, 1, 1]);
        var groups = DiversityMetric.MembersRight(members, combined, targets);
        Assert.Equal(
        [
            new MembersRightGroup(3, 3, Inputs: 1, EnsembleRight: 1),
            new MembersRightGroup(2, 3, Inputs: 2, EnsembleRight: 1),
            new MembersRightGroup(1, 3, Inputs: 2, EnsembleRight: 1),
            new MembersRightGroup(0, 3, Inputs: 1, EnsembleRight: 1),
        ], groups);
        Assert.Equal(50.0, groups[1].EnsembleRightPercent);
        Assert.Equal(0, new MembersRightGroup(2, 2, 0, 0).EnsembleRightPercent);
    }

    [Fact]
    public void RefusesACombinedPredictionOfAnotherShape()
    {
        using var targets = tensor(new long[] { 0, 1 });
        using var members = Predicting([0, 1], [1, 1]);
        using var wrongRows = Rows([0, 1, 2]);
        var error = Assert.Throws<ArgumentException>(() => DiversityMetric.MembersRight(members, wrongRows, targets));
        Assert.Contains("combined must be [B, C] = [2, 3]", error.Message);
        using var shortTargets = tensor(new long[] { 0 });
        using var combined = Rows([0, 1]);
        Assert.ThrowsAny<ArgumentException>(() => DiversityMetric.MembersRight(members, combined, shortTargets));
    }
}
