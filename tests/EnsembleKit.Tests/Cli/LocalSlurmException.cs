namespace EnsembleKit.Tests.Cli;

/// <summary>A local Slurm daemon could not start; the message names the exact call and what it said.</summary>
public sealed class LocalSlurmException(string message) : Exception(message);
