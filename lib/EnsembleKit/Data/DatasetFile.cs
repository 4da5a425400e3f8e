namespace EnsembleKit.Data;

/// <summary>
/// One file of a dataset: its canonical name, where it can be downloaded, and the SHA-256 and length of
/// its uncompressed content (checked whatever the source: a Debian package may recompress files, so a
/// checksum of the compressed bytes would reject good copies).
/// </summary>
public sealed record DatasetFile(string Name, string Url, string ContentSha256, long ContentLength);
