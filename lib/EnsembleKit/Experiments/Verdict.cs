namespace EnsembleKit.Experiments;

/// <summary>What a notebook found for a claim of the source documents.</summary>
public enum Verdict
{
    /// <summary>The claim held at the scale the notebook ran.</summary>
    Held,
    /// <summary>The claim did not hold at the scale the notebook ran.</summary>
    Failed,
    /// <summary>The claim cannot be checked with what this machine or scale has (a dataset, an environment, a budget).</summary>
    NotCheckableHere,
}
