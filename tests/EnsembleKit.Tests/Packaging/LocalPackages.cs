using System.Globalization;

namespace EnsembleKit.Tests.Packaging;

/// <summary>
/// The kit's packages, packed once for the packaging tests into a temp folder under a version no other run uses
/// (<c>0.1.0-test-…</c>), so that no NuGet cache (the global packages folder, the tool store, the .NET Interactive
/// kernel's <c>#r "nuget:"</c> restores) can hand a later run a stale copy. The build happens in a temp artifacts folder
/// (<c>ArtifactsPath</c>): the checkout's bin/ and obj/ (which the notebooks reference) are left alone. On dispose, the
/// temp folder and the global packages folder's copies of this version are deleted.
/// </summary>
public sealed class LocalPackages : IDisposable
{
    public static readonly string[] PackageIds = ["EnsembleKit", "EnsembleKit.Plotting", "EnsembleKit.Cli"];

    readonly TempFolder _temp = new();

    public LocalPackages()
    {
        VersionSuffix = "test-" + Guid.NewGuid().ToString("N")[..12];
        Version = $"{VersionPrefix()}-{VersionSuffix}";
        Folder = Path.Combine(_temp.Path, "packages");
        Directory.CreateDirectory(Folder);
        try
        {
            foreach (var project in new[] { "lib/EnsembleKit/EnsembleKit.csproj", "lib/EnsembleKit.Plotting/EnsembleKit.Plotting.csproj", "lib/EnsembleKit.Cli/EnsembleKit.Cli.csproj" })
                Pack(project, Folder, Path.Combine(_temp.Path, "artifacts"));
        }
        catch
        {
            Dispose(); // xunit does not dispose a fixture whose constructor threw
            throw;
        }
    }

    /// <summary>The version of the packages, e.g. <c>0.1.0-test-3f2a…</c>.</summary>
    public string Version { get; }

    public string VersionSuffix { get; }

    /// <summary>The folder holding the .nupkg and .snupkg files (a NuGet source).</summary>
    public string Folder { get; }

    /// <summary>A fresh, empty folder outside the repository, deleted with the fixture.</summary>
    public string NewFolder() => _temp.NewFolder();

    /// <summary>Packs <paramref name="project"/> (relative to the repository) in Release, deterministic and path-mapped
    /// (<c>ContinuousIntegrationBuild</c>), building under <paramref name="artifacts"/>.</summary>
    public void Pack(string project, string output, string artifacts) =>
        ProcessRun.Run("dotnet",
            ["pack", Path.Combine(TestSupport.RepoRoot, project), "-c", "Release", "-o", output, $"-p:VersionSuffix={VersionSuffix}",
             "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={artifacts}/", "-p:ContinuousIntegrationBuild=true", "-nologo", "-v:q"],
            TestSupport.RepoRoot, TimeSpan.FromMinutes(8));

    /// <summary>The repository's <c>VersionPrefix</c> (Directory.Build.props).</summary>
    public static string VersionPrefix() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(TestSupport.RepoRoot, "Directory.Build.props"))
            .Descendants("VersionPrefix").Single().Value.Trim();

    public void Dispose()
    {
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } n ? n
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var copy = Path.Combine(nuget, id.ToLower(CultureInfo.InvariantCulture), Version.ToLower(CultureInfo.InvariantCulture));
            try
            {
                if (Directory.Exists(copy)) Directory.Delete(copy, recursive: true);
                var idFolder = Path.GetDirectoryName(copy)!;
                if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any()) Directory.Delete(idFolder);
            }
            catch (IOException) { }
        }
        _temp.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalPackagesCollection : ICollectionFixture<LocalPackages>
{
    public const string Name = "local packages";
}
