namespace EnsembleKit.Experiments;

/// <summary>A paper's claim did not hold at the scale a notebook ran.</summary>
public sealed class ClaimFailedException(string message) : Exception(message);
