using EnsembleKit.Diversity;

namespace EnsembleKit.Analysis;

/// <summary>
/// How much a trajectory t-SNE's separation owes to its start: the second-half same-run share
/// (<see cref="TrajectoryEmbedding.SecondHalf"/>) of the PCA start and of several Gaussian starts. An exact t-SNE of a few
/// dozen checkpoints is chaotic in its start (notebook 08 saw a change of 5·10⁻¹² in the start move one share from 100 %
/// to 85 %), so a claim about separated trajectories reads the <see cref="Median"/> over starts, not one embedding.
/// </summary>
/// <param name="Shares">One share per start: the PCA start first, then the Gaussian starts of seeds 1, 2, ...</param>
public sealed record TsneStartSpread(IReadOnlyList<double> Shares)
{
    /// <summary>
    /// The second-half shares of <see cref="TrajectoryEmbedding.Of"/> with the PCA start and with
    /// <paramref name="randomStarts"/> Gaussian starts (seeds 1..<paramref name="randomStarts"/>). Pass the PCA-start
    /// embedding already made of these runs as <paramref name="pcaStart"/> and it is not computed again.
    /// </summary>
    public static TsneStartSpread SecondHalf(IReadOnlyList<TrajectoryRun> runs, int epochs, int randomStarts = 4, TrajectoryEmbedding? pcaStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(randomStarts);
        var shares = new List<double> { (pcaStart ?? TrajectoryEmbedding.Of(runs, epochs)).SecondHalf.Agreement };
        for (int seed = 1; seed <= randomStarts; seed++)
            shares.Add(TrajectoryEmbedding.Of(runs, epochs, seed, pcaStart: false).SecondHalf.Agreement);
        return new TsneStartSpread(shares);
    }

    /// <summary>The middle share (the mean of the two middle ones for an even count).</summary>
    public double Median
    {
        get
        {
            if (Shares.Count == 0) throw new InvalidOperationException("no shares: a spread needs at least one start.");
            return ImageHashing.Median(Shares);   // numpy's median, as the hashes use it
        }
    }

    public double Min => Shares.Min();
    public double Max => Shares.Max();

    public override string ToString() =>
        $"second-half same-run share over {Shares.Count} t-SNE starts (PCA, then {Shares.Count - 1} Gaussian): median {Median:P1}, " +
        $"range {Min:P1} to {Max:P1} ({string.Join(", ", Shares.Select(s => s.ToString("P1")))})";
}
