using System.Net.Http;

namespace EnsembleKit.Data;

/// <summary>Where <see cref="FashionMnistFetcher"/> fetches from and to, and how patiently.</summary>
public sealed record FashionMnistFetchOptions
{
    /// <summary>Target folder; null means <c>$KIT_DATA/fashion-mnist</c> when KIT_DATA is set, else the repository's
    /// <c>data/fashion-mnist</c> (both are among <see cref="FashionMnist.SearchFolders"/>).</summary>
    public string? Folder { get; init; }

    /// <summary>The files and their content checksums; each <see cref="DatasetFile.Url"/> is its official URL.</summary>
    public IReadOnlyList<DatasetFile> Files { get; init; } = FashionMnist.Files;

    /// <summary>The Debian package tried when the official URLs fail.</summary>
    public DebianPackage Package { get; init; } = DebianPackage.FashionMnist;

    /// <summary>Folder of the IDX .gz files inside <see cref="Package"/>, as installed, without the leading slash.</summary>
    public string PackageFolder { get; init; } = "usr/share/datasets/fashion-mnist";

    /// <summary>The apt-get to run for <c>apt-get download</c>; null skips that step.</summary>
    public string? AptGet { get; init; } = "apt-get";

    /// <summary>Debian mirror roots for the direct pool fetch; null means <see cref="DebianMirrors.Find"/> of <c>/etc/apt</c>.</summary>
    public IReadOnlyList<string>? Mirrors { get; init; }

    /// <summary>How long to wait for a connection and the response headers of each URL; offline, the official step costs no more.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one whole download (or apt-get run) may take.</summary>
    public TimeSpan DownloadTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Makes the HTTP handler; null means a <see cref="SocketsHttpHandler"/> with <see cref="ConnectTimeout"/>. Tests pass a fake.</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; init; }

    /// <summary>Step-by-step messages (which source, what failed, where the files went); stderr by default.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;

    /// <summary>Where download progress lines go (null: nowhere); stderr by default, updated in place on a terminal.</summary>
    public TextWriter? Progress { get; init; } = Console.Error;
}
