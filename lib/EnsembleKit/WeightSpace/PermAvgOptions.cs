namespace EnsembleKit.WeightSpace;

/// <summary>Where PermAVG's learnable permutation scores start.</summary>
public enum PermAvgStart
{
    /// <summary>Every member's doubly-stochastic matrix starts near the identity: the naive average.</summary>
    Identity,
    /// <summary>Each member's matrix starts near the hard permutation that weight matching finds: the aligned average.</summary>
    WeightMatching,
}

/// <summary>
/// PermAVG settings. Seed 000 names only the optimiser (Adam, lr 0.1, cosine annealing, cross-entropy, 20 epochs);
/// the Sinkhorn parameterisation below is the kit's choice (seed-spec 1.5): <c>P = Sinkhorn(exp(S / Tau))</c> with
/// <see cref="SinkhornIterations"/> alternating row and column normalisations in log space.
/// </summary>
public sealed record PermAvgOptions
{
    public int SinkhornIterations { get; init; } = 20;
    public double Temperature { get; init; } = 1.0;
    public PermAvgStart Start { get; init; } = PermAvgStart.Identity;
    /// <summary>The weight the starting permutation's entries get in each row of the initial matrix (the rest spread evenly).</summary>
    public double StartConfidence { get; init; } = 0.99;
    /// <summary>Fix every matrix to the identity (nothing is learned): the naive average, for checks.</summary>
    public bool Naive { get; init; }

    public void Validate()
    {
        if (SinkhornIterations <= 0) throw new ArgumentOutOfRangeException(nameof(SinkhornIterations), $"Sinkhorn iterations must be positive; got {SinkhornIterations}.");
        if (!(Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(Temperature), $"temperature must be positive; got {Temperature}.");
        if (StartConfidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(StartConfidence), $"start confidence must be in (0, 1); got {StartConfidence}.");
    }
}
