namespace EnsembleKit.Cli.Members;

/// <summary>One member's state in a runs folder: <see cref="MemberStore.Status"/>.</summary>
/// <param name="Index">The member's index (0-based).</param>
/// <param name="State">Missing, partial, complete or damaged.</param>
/// <param name="Manifest">The manifest of a complete or damaged member.</param>
/// <param name="EpochsDone">Epochs in a partial member's checkpoint.</param>
/// <param name="Detail">A short note for the reader (what is damaged, which recipe differs).</param>
public sealed record MemberStatus(int Index, MemberState State, MemberManifest? Manifest = null, int EpochsDone = 0, string Detail = "");
