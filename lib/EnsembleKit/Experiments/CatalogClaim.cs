namespace EnsembleKit.Experiments;

/// <summary>
/// One headline claim of the source documents, as seed-spec §4 lists it: its number there (<paramref name="Id"/>, 1-25),
/// the seed it comes from (S0-S4), a short statement, and the paper's number(s) as text.
/// </summary>
public sealed record CatalogClaim(int Id, string Seed, string Statement, string PaperValue);
