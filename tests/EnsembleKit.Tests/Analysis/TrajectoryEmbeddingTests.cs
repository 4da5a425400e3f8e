using EnsembleKit.Analysis;
using EnsembleKit.Diversity;

namespace EnsembleKit.Tests.Analysis;

public sealed class TrajectoryEmbeddingTests
{
    [Fact]
    public void IsTheTsneOfTheCheckpointsProbabilitiesWithItsNeighbourAgreements()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        var embedding = TrajectoryEmbedding.Of(runs, epochs: 3);
        // The same t-SNE as notebook 08 ran by hand: probability rows, perplexity min(10, (8 - 1) / 3), PCA start, seed 0.
        var rows = TrajectoryMatrices.ProbabilityRows(TrajectoryRun.Checkpoints(runs));
        var byHand = Tsne.Run(rows, new TsneOptions { Perplexity = 7 / 3.0, PcaInitialization = true, Seed = 0 });
        Assert.Equal(byHand.Embedding, embedding.Result.Embedding);
        Assert.Equal(["run 1", "run 1", "run 1", "run 1", "run 2", "run 2", "run 2", "run 2"], embedding.RunLabels);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], embedding.Epochs);
        // Trained checkpoints: 3 a run; second half of 3 epochs: epochs 2 and 3, 2 a run. The runs lie apart in the
        // probability space, so every nearest neighbour is from the same run there; chance for 2 groups of g is (g-1)/(2g-1).
        Assert.Equal((1.0, 6), (embedding.Trained.Agreement, embedding.Trained.Points));
        Assert.Equal(2.0 / 5, embedding.Trained.Chance, 12);
        Assert.Equal((1.0, 4), (embedding.SecondHalfBeforeTsne.Agreement, embedding.SecondHalfBeforeTsne.Points));
        Assert.Equal(4, embedding.SecondHalf.Points);
        Assert.Equal(1.0 / 3, embedding.SecondHalf.Chance, 12);
        var lines = embedding.Describe().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"t-SNE: {byHand.Method}, KL ", lines[0]);
        Assert.Equal($"  second half, before t-SNE: {embedding.SecondHalfBeforeTsne}", lines[3]);
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void IsDeterministicAndRefusesBadInput()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        Assert.Equal(TrajectoryEmbedding.Of(runs, 3).Result.Embedding, TrajectoryEmbedding.Of(runs, 3).Result.Embedding);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => TrajectoryEmbedding.Of([runs[0]], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryEmbedding.Of(runs, 0));
        Assert.Throws<ArgumentNullException>(() => TrajectoryEmbedding.Of(null!, 3));
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void StartSpreadScoresThePcaStartThenGaussianStarts()
    {
        var runs = TrajectoryFixtures.TwoRuns();
        var spread = TsneStartSpread.SecondHalf(runs, epochs: 3, randomStarts: 2);
        Assert.Equal(3, spread.Shares.Count);
        Assert.Equal(TrajectoryEmbedding.Of(runs, 3).SecondHalf.Agreement, spread.Shares[0]);
        var gaussian = TrajectoryEmbedding.Of(runs, 3, seed: 2, pcaStart: false);
        Assert.Equal(gaussian.SecondHalf.Agreement, spread.Shares[2]);
        // a Gaussian start is the seed's draw, not the PCA start
        Assert.NotEqual(TrajectoryEmbedding.Of(runs, 3).Result.Embedding, gaussian.Result.Embedding);
        Assert.Equal(spread.Shares, TsneStartSpread.SecondHalf(runs, epochs: 3, randomStarts: 2).Shares);
        // a PCA-start embedding passed in is read, not made again (a made-up share shows which one was read)
        var given = TrajectoryEmbedding.Of(runs, 3) with { SecondHalf = new NeighbourAgreement(0.25, 0.2, 4, 1) };
        Assert.Equal([0.25, .. spread.Shares.Skip(1)], TsneStartSpread.SecondHalf(runs, 3, randomStarts: 2, pcaStart: given).Shares);
        Assert.Throws<ArgumentOutOfRangeException>(() => TsneStartSpread.SecondHalf(runs, 3, randomStarts: -1));
        foreach (var run in runs) run.Model.Dispose();
    }

    [Fact]
    public void StartSpreadMedianIsTheMiddleShare()
    {
        var odd = new TsneStartSpread([1.0, 0.85, 0.9, 0.75, 0.95]);
        Assert.Equal((0.9, 0.75, 1.0), (odd.Median, odd.Min, odd.Max));
        Assert.Equal((0.8 + 0.9) / 2, new TsneStartSpread([0.9, 0.5, 1.0, 0.8]).Median, 15);
        Assert.Contains("median 90.0%", odd.ToString().Replace(" %", "%"));
        Assert.Throws<InvalidOperationException>(() => new TsneStartSpread([]).Median);
    }
}
