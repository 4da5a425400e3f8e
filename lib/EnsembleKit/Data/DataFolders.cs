using EnsembleKit.Backend;

namespace EnsembleKit.Data;

/// <summary>
/// Where dataset folders are looked for and downloaded to, the same for every dataset:
/// <c>$KIT_DATA/&lt;folder&gt;</c> (and <c>$KIT_DATA</c> itself), the repository's <c>data/&lt;folder&gt;</c>,
/// then the user cache <c>~/.cache/ensemblekit/data/&lt;folder&gt;</c> (see <see cref="KitPaths.CacheFolder"/>).
/// </summary>
public static class DataFolders
{
    /// <summary>Candidate folders for a dataset whose canonical folder name is <paramref name="folderName"/>, in search order.</summary>
    public static IEnumerable<string> Search(string folderName)
    {
        if (Environment.GetEnvironmentVariable("KIT_DATA") is { Length: > 0 } kitData)
        {
            yield return Path.Combine(kitData, folderName);
            yield return kitData;
        }
        yield return Path.Combine(KitPaths.RepositoryData, folderName);
        yield return Path.Combine(KitPaths.CacheFolder, "data", folderName);
    }

    /// <summary>
    /// Where a download goes: <c>$KIT_DATA/&lt;folder&gt;</c> when KIT_DATA is set, else the repository's
    /// <c>data/&lt;folder&gt;</c> inside a checkout, else the user cache.
    /// </summary>
    public static string DownloadTarget(string folderName) =>
        Environment.GetEnvironmentVariable("KIT_DATA") is { Length: > 0 } kitData ? Path.Combine(kitData, folderName)
        : KitPaths.RepositoryRoot is not null ? Path.Combine(KitPaths.RepositoryData, folderName)
        : Path.Combine(KitPaths.CacheFolder, "data", folderName);
}
