namespace EnsembleKit.Experiments;

/// <summary>
/// One row of the claims ledger: one check of claim <paramref name="ClaimId"/> (null for a check of experiment
/// <paramref name="Experiment"/> that seed-spec §4 does not list) in <paramref name="Notebook"/> (null when no notebook
/// checks it): what the notebook checked, at which scale, the paper's and the kit's numbers, the verdict and, for
/// <see cref="LedgerVerdict.NoVerdictYet"/> and <see cref="LedgerVerdict.FailedToRun"/>, the reason.
/// </summary>
public sealed record LedgerRow(int? ClaimId, string? Experiment, string? Notebook, string Checked, string Scale,
    string Paper, string Kit, LedgerVerdict Verdict, string? Reason = null)
{
    /// <summary>The verdict as the ledger prints it.</summary>
    public string VerdictText => Verdict switch
    {
        LedgerVerdict.Held => "held",
        LedgerVerdict.Failed => "failed",
        LedgerVerdict.NotCheckableHere => Reason is null ? "not checkable here" : $"not checkable here: {Reason}",
        LedgerVerdict.FailedToRun => "failed to run",
        LedgerVerdict.NoVerdictYet => Reason is null ? "no verdict yet" : $"no verdict yet: {Reason}",
        _ => throw new ArgumentOutOfRangeException(nameof(Verdict), Verdict, "unknown ledger verdict."),
    };

    internal static LedgerVerdict From(Verdict verdict) => verdict switch
    {
        Experiments.Verdict.Held => LedgerVerdict.Held,
        Experiments.Verdict.Failed => LedgerVerdict.Failed,
        _ => LedgerVerdict.NotCheckableHere,
    };
}
