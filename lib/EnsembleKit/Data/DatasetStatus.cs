namespace EnsembleKit.Data;

/// <summary>Whether a dataset is present, where, and how to get it when it is not.</summary>
public sealed record DatasetStatus(string Name, string? Folder, string HowToGet);
