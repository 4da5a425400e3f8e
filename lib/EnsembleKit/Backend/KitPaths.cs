namespace EnsembleKit.Backend;

/// <summary>Folders the kit reads and writes, each overridable by an environment variable.</summary>
public static class KitPaths
{
    /// <summary>Private cache (patched native libraries, downloads): <c>KIT_CACHE</c>, else <c>$XDG_CACHE_HOME/ensemblekit</c>, else <c>~/.cache/ensemblekit</c>.</summary>
    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("KIT_CACHE") is { Length: > 0 } kit ? kit
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "ensemblekit")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ensemblekit");

    /// <summary>
    /// The repository root (the folder holding Kit.sln), searched upwards from the working directory
    /// and from the kit's own location; null when the kit runs outside a checkout.
    /// </summary>
    public static string? RepositoryRoot =>
        FindUpwards(Directory.GetCurrentDirectory()) ?? FindUpwards(AppContext.BaseDirectory)
#pragma warning disable IL3000 // empty in a single-file app, where the two above suffice
        ?? FindUpwards(Path.GetDirectoryName(typeof(KitPaths).Assembly.Location) ?? "");
#pragma warning restore IL3000

    static string? FindUpwards(string start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kit.sln"))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// Where runs keep checkpoints and results: <c>KIT_RUNS</c>, else the repository's <c>runs/</c> (git-ignored), else
    /// <c>./runs</c>. <paramref name="parts"/> name a subfolder, which is created. Notebooks share trained models through
    /// checkpoints here; a checkpoint records its run's settings, so another notebook reuses it only when it trains with
    /// the same ones (<see cref="Training.Checkpoint"/>), and is refused otherwise.
    /// </summary>
    public static string RunFolder(params string[] parts)
    {
        var root = Environment.GetEnvironmentVariable("KIT_RUNS") is { Length: > 0 } runs ? runs
            : Path.Combine(RepositoryRoot ?? Directory.GetCurrentDirectory(), "runs");
        var path = Path.Combine([root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The repository's <c>data/</c> folder, or <c>./data</c> outside a checkout.</summary>
    public static string RepositoryData => Path.Combine(RepositoryRoot ?? Directory.GetCurrentDirectory(), "data");
}
