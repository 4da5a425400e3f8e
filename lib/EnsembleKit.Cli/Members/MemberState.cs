namespace EnsembleKit.Cli.Members;

/// <summary>Where one member of a recipe stands in a runs folder.</summary>
public enum MemberState
{
    /// <summary>Nothing written yet.</summary>
    Missing,
    /// <summary>A checkpoint of some epochs, no logits yet: <c>kit member train</c> resumes it.</summary>
    Partial,
    /// <summary>Logits and manifest written, the logits' checksum matches.</summary>
    Complete,
    /// <summary>A manifest whose logits file is missing or does not match its checksum.</summary>
    Damaged,
}
