namespace EnsembleKit.Experiments;

/// <summary>A row's verdict in the claims ledger: a <see cref="Verdict"/>, or why there is none.</summary>
public enum LedgerVerdict
{
    Held,
    Failed,
    NotCheckableHere,
    /// <summary>The notebook stopped on an error that is not a claim before printing this check.</summary>
    FailedToRun,
    /// <summary>No notebook checks the claim, or the notebook measures it without a verdict.</summary>
    NoVerdictYet,
}
