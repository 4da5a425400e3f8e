namespace EnsembleKit.Models;

/// <summary>
/// One architecture of the <see cref="ModelRegistry"/>: its registry name, what it is, and the parameter count its
/// source publishes (as printed there, e.g. "0.27M" or "253,290", for 10 classes) with that source.
/// </summary>
public sealed record ModelEntry(string Name, string Architecture, string PublishedParameters, string Source);
