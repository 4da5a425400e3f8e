namespace EnsembleKit.Experiments;

/// <summary>
/// A check a committed notebook only prints (not enforced): the line of <paramref name="Notebook"/> that contains
/// <paramref name="FailedText"/> is a failed check of claim <paramref name="ClaimId"/>, one that contains
/// <paramref name="HeldText"/> a held one, and one that contains <paramref name="MeasuredText"/> a measurement with no
/// verdict. <paramref name="Checked"/> says what the line checks, as the ledger shows it.
/// </summary>
public sealed record MappedPrintedCheck(string Notebook, int? ClaimId, string Checked,
    string? HeldText = null, string? FailedText = null, string? MeasuredText = null, string? Experiment = null);
