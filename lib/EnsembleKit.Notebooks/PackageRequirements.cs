using System.Text.RegularExpressions;

namespace EnsembleKit.Notebooks;

/// <summary>A pinned NuGet package; <see cref="KernelOnly"/> ones are needed only inside the VS Code Polyglot kernel.</summary>
public sealed record PinnedPackage(string Name, string Version, bool KernelOnly);

/// <summary>
/// The pins of <c>requirements-dotnet.txt</c>: one <c>Name==Version</c> a line, and
/// <c># kernel-only Name==Version</c> lines for packages only the Polyglot kernel needs.
/// </summary>
public sealed class PackageRequirements
{
    public const string FileName = "requirements-dotnet.txt";
    static readonly Regex Pin = new(@"^\s*(?<kernel>#\s*kernel-only\s+)?(?<name>[A-Za-z0-9_.\-]+)\s*==\s*(?<version>[^\s#]+)\s*$");

    public IReadOnlyList<PinnedPackage> Packages { get; }

    /// <summary>The requirements file, or null for <see cref="Unpinned"/>.</summary>
    public string? Path { get; }

    /// <summary>
    /// No requirements file: a notebook run outside any checkout of the kit (e.g. by the installed <c>kit</c> tool). Its
    /// third-party packages are the notebook's own business; the kit's packages are still held to the kit's version.
    /// </summary>
    public static PackageRequirements Unpinned { get; } = new([], null);

    PackageRequirements(IReadOnlyList<PinnedPackage> packages, string? path)
    {
        Packages = packages;
        Path = path;
    }

    public static PackageRequirements Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; notebooks' #r \"nuget:\" lines are checked against it.", path);
        var packages = new List<PinnedPackage>();
        foreach (var line in File.ReadAllLines(path))
        {
            var m = Pin.Match(line);
            if (m.Success) packages.Add(new PinnedPackage(m.Groups["name"].Value, m.Groups["version"].Value, m.Groups["kernel"].Success));
        }
        return new PackageRequirements(packages, path);
    }

    /// <summary>
    /// The requirements file of the checkout holding <paramref name="startFolder"/>, else of the kit's checkout, else
    /// <see cref="Unpinned"/>.
    /// </summary>
    public static PackageRequirements Find(string? startFolder)
    {
        for (var dir = startFolder is null ? null : new DirectoryInfo(System.IO.Path.GetFullPath(startFolder)); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate)) return Load(candidate);
        }
        return Backend.KitPaths.RepositoryRoot is { } root && File.Exists(System.IO.Path.Combine(root, FileName))
            ? Load(System.IO.Path.Combine(root, FileName))
            : Unpinned;
    }

    public PinnedPackage? Lookup(string name, bool includeKernelOnly = true) =>
        Packages.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && (includeKernelOnly || !p.KernelOnly));

    /// <summary>
    /// Checks a notebook's <c>#r "nuget: Name, Version"</c> against the pins; throws
    /// <see cref="InvalidDataException"/> saying what is wrong (unknown package, missing or different version).
    /// </summary>
    public PinnedPackage Require(string name, string? version)
    {
        if (NotebookConventions.KitPackages.Contains(name, StringComparer.OrdinalIgnoreCase)) return RequireKit(name, version);
        if (Path is null) return new PinnedPackage(name, version?.Trim() ?? "", KernelOnly: false);
        var pin = Lookup(name) ?? throw new InvalidDataException(
            $"package {name} is not pinned in {Path}; the kit provides only: {string.Join(", ", Packages.Select(p => $"{p.Name} {p.Version}"))}.");
        if (string.IsNullOrWhiteSpace(version))
            throw new InvalidDataException($"#r \"nuget: {name}\" has no version; pin it as in {Path}: #r \"nuget: {pin.Name}, {pin.Version}\".");
        if (version.Trim() != pin.Version)
            throw new InvalidDataException($"#r \"nuget: {name}, {version.Trim()}\" does not match the pinned version {pin.Version} in {Path}; use #r \"nuget: {pin.Name}, {pin.Version}\".");
        return pin;
    }

    /// <summary>The kit's own packages are not pinned in the file: a notebook names the version of the kit that runs it.</summary>
    static PinnedPackage RequireKit(string name, string? version)
    {
        var kit = NotebookConventions.KitVersion;
        if (string.IsNullOrWhiteSpace(version) || version.Trim() != kit)
            throw new InvalidDataException($"#r \"nuget: {name}{(string.IsNullOrWhiteSpace(version) ? "" : ", " + version.Trim())}\" does not name this kit's version; use #r \"nuget: {name}, {kit}\".");
        return new PinnedPackage(name, kit, KernelOnly: false);
    }
}
