namespace EnsembleKit.Experiments;

/// <summary>
/// A claim that a committed notebook checks with <c>Claim.Check</c> / <c>ClaimLedger.Check</c>, whose output is the
/// human line <c>Claim holds at scale 'cpu': statement (measured).</c>: the line of
/// <paramref name="Notebook"/> whose statement contains <paramref name="Statement"/> is claim <paramref name="ClaimId"/>
/// of seed-spec §4, or, when that is null, a check of experiment <paramref name="Experiment"/> that §4 does not list.
/// </summary>
public sealed record MappedClaimLine(string Notebook, int? ClaimId, string Statement, string? Experiment = null);
