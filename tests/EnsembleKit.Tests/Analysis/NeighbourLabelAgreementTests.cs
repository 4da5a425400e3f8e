using EnsembleKit.Analysis;

namespace EnsembleKit.Tests.Analysis;

public class NeighbourLabelAgreementTests
{
    // Points on a line: x = 0, 1, 2 (group A), 10, 11 (group B), 2.5 (group B, an intruder near A).
    // 1-NN: 0->1 (A,A ok), 1->0 (ok; tie with 2 at distance 1 goes to the smaller index), 2->5 (A vs B, miss),
    // 10->11 ok, 11->10 ok, 2.5->2 (B vs A, miss): 4 of 6.
    // Chance: A has 3, B has 3 -> (3·2 + 3·2) / (6·5) = 12/30 = 0.4.
    static readonly double[,] Line = { { 0 }, { 1 }, { 2 }, { 10 }, { 11 }, { 2.5 } };
    static readonly string[] Labels = ["A", "A", "A", "B", "B", "B"];

    [Fact]
    public void HandCountedOneNearestNeighbour()
    {
        var score = NeighbourLabelAgreement.Score(Line, Labels);
        Assert.Equal(4.0 / 6, score.Agreement, 12);
        Assert.Equal(0.4, score.Chance, 12);
        Assert.Equal(6, score.Points);
        Assert.Equal(1, score.K);
    }

    [Fact]
    public void TwoNeighboursAndExcludedPoints()
    {
        // k = 2: 0 -> 1, 2 (2/2); 1 -> 0, 2 (2/2); 2 -> 2.5, 1 (1/2); 10 -> 11, 2.5 (2/2); 11 -> 10, 2.5 (2/2); 2.5 -> 2, 1 (0/2): 9/12
        Assert.Equal(9.0 / 12, NeighbourLabelAgreement.Score(Line, Labels, k: 2).Agreement, 12);
        // leaving the intruder out separates the groups perfectly; chance (3·2 + 2·1) / (5·4) = 0.4
        var clean = NeighbourLabelAgreement.Score(Line, Labels, include: [true, true, true, true, true, false]);
        Assert.Equal(1.0, clean.Agreement, 12);
        Assert.Equal(0.4, clean.Chance, 12);
        Assert.Equal(5, clean.Points);
    }

    [Fact]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => NeighbourLabelAgreement.Score(Line, ["A", "B"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourLabelAgreement.Score(Line, Labels, k: 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourLabelAgreement.Score(Line, Labels, k: 0));
        Assert.Throws<ArgumentException>(() => NeighbourLabelAgreement.Score(Line, Labels, include: [true]));
        Assert.Throws<ArgumentException>(() => NeighbourLabelAgreement.Score(new double[,] { { 0 }, { double.NaN } }, ["A", "B"]));
    }
}
