namespace EnsembleKit.Tests.Cli;

/// <summary>
/// A test that needs a local Slurm (<see cref="LocalSlurm"/>): skipped, saying why, when the daemons cannot start on this
/// machine (the failing call in the message); when Slurm is not installed it is skipped too, except under CI
/// (<c>CI=true</c>, .ci/run installs it), where the test then fails.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        bool ci = string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ci && LocalSlurm.MissingPrograms().Count > 0) return;
        if (LocalSlurm.Unavailable is { } why) Skip = why;
    }
}
