using EnsembleKit.Diversity;

namespace EnsembleKit.Tests.Diversity;

public sealed class TrajectorySummaryTests
{
    // Two runs of three epochs: checkpoints 0-3 are run 1 (0 = initialisation), 4-7 run 2.
    static double[,] Symmetric(int n, double fill, params (int I, int J, double V)[] entries)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = i == j ? 0 : fill;
        foreach (var (i, j, v) in entries) m[i, j] = m[j, i] = v;
        return m;
    }

    static double[,] HandCosine()
    {
        var m = Symmetric(8, 0.8, (0, 1, 0.5), (2, 3, 0.9), (0, 3, 0.4), (4, 5, 0.7), (6, 7, 0.95), (4, 7, 0.6));
        for (int i = 0; i < 4; i++)
            for (int j = 4; j < 8; j++)
                m[i, j] = m[j, i] = 0.1;
        m[1, 5] = m[5, 1] = -0.3;
        m[3, 7] = m[7, 3] = 0.2;
        return m;
    }

    [Fact]
    public void MatchesTheHandComputation()
    {
        var disagreement = Symmetric(8, 0.5, (2, 3, 0.05), (1, 3, 0.2), (6, 7, 0.07), (5, 7, 0.3));
        var final = new double[,] { { 0, 0.4 }, { 0.4, 0 } };
        var s = TrajectorySummary.Of(HandCosine(), disagreement, final, runs: 2, epochs: 3);
        // |cos| over the 32 ordered cross-run pairs: 28 x 0.1, 2 x 0.3, 2 x 0.2 -> 3.8 / 32.
        Assert.Equal(3.8 / 32, s.CrossRunMeanAbsCosine, 12);
        Assert.Equal(0.3, s.CrossRunMaxAbsCosine, 12);
        Assert.Equal((0.5 + 0.7) / 2, s.FirstStepCosine, 12);
        Assert.Equal((0.9 + 0.95) / 2, s.LastStepCosine, 12);
        Assert.Equal((0.4 + 0.6) / 2, s.InitFinalCosine, 12);
        Assert.Equal((0.05 + 0.07) / 2, s.LastStepDisagreement, 12);
        Assert.Equal((0.2 + 0.3) / 2, s.Epoch1FinalDisagreement, 12);
        Assert.Equal(0.4, s.CrossRunFinalDisagreement, 12);
    }

    [Fact]
    public void RefusesShapesThatDoNotFitRunsAndEpochs()
    {
        var cosine = HandCosine();
        var final = new double[2, 2];
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectorySummary.Of(cosine, cosine, final, runs: 1, epochs: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectorySummary.Of(cosine, cosine, final, runs: 2, epochs: 0));
        var e = Assert.Throws<ArgumentException>(() => TrajectorySummary.Of(cosine, cosine, final, runs: 2, epochs: 2));
        Assert.Contains("cosine must be [6, 6]", e.Message);
        Assert.Throws<ArgumentException>(() => TrajectorySummary.Of(cosine, new double[8, 7], final, runs: 2, epochs: 3));
        Assert.Throws<ArgumentException>(() => TrajectorySummary.Of(cosine, cosine, new double[3, 3], runs: 2, epochs: 3));
    }
}
