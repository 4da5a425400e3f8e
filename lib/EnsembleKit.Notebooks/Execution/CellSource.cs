using System.Text.RegularExpressions;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>A <c>#r "nuget: Name, Version"</c> line of a cell (1-based line number).</summary>
public sealed record NugetDirective(string Name, string? Version, int Line);

/// <summary>A <c>#r "path.dll"</c> line of a cell (1-based line number).</summary>
public sealed record AssemblyDirective(string Path, int Line);

/// <summary>
/// A code cell split the way the Polyglot C# kernel reads it: an optional leading cell magic
/// (<c>#!csharp</c>, <c>#!markdown</c>, ...), <c>#r</c> directives, and the C# code. Directive and magic
/// lines are blanked (not removed) in <see cref="Code"/> so compiler line numbers match the cell's.
/// </summary>
public sealed record CellSource(string? Language, IReadOnlyList<NugetDirective> Packages, IReadOnlyList<AssemblyDirective> Assemblies, string Code)
{
    static readonly Regex Magic = new(@"^\s*#!(?<name>[A-Za-z#\-]+)\b.*$");
    static readonly Regex Reference = new("""^\s*#r\s+"(?<target>[^"]*)"\s*(//.*)?$""");
    // Magic commands that act within the cell's kernel rather than choose one: a cell may start with them.
    static readonly HashSet<string> Directives = new(StringComparer.OrdinalIgnoreCase) { "import", "time", "set", "who", "whos", "lsmagic", "about", "share", "connect", "log" };
    static readonly Regex Nuget = new(@"^nuget:\s*(?<name>[^,\s]+)\s*(,\s*(?<version>.*?))?\s*$", RegexOptions.IgnoreCase);

    /// <summary>Kernel names (from a magic or cell metadata) that mean C#.</summary>
    public static bool IsCSharp(string? language) => language is null || language.ToLowerInvariant() is "csharp" or "c#" or "cs";

    public static bool IsMarkdown(string? language) => language?.ToLowerInvariant() is "markdown" or "md";

    /// <summary>Parses a cell. <paramref name="kernelName"/> is the cell's metadata kernel (a magic line overrides it).</summary>
    public static CellSource Parse(string source, string? kernelName = null)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        string? language = kernelName;
        var packages = new List<NugetDirective>();
        var assemblies = new List<AssemblyDirective>();
        for (int i = 0; i < lines.Length; i++)
        {
            var magic = Magic.Match(lines[i]);
            if (magic.Success && !Directives.Contains(magic.Groups["name"].Value) && lines.Take(i).All(string.IsNullOrWhiteSpace))
            {
                language = magic.Groups["name"].Value;
                lines[i] = "";
                continue;
            }
            var reference = Reference.Match(lines[i]);
            if (!reference.Success) continue;
            var target = reference.Groups["target"].Value.Trim();
            var nuget = Nuget.Match(target);
            if (nuget.Success)
                packages.Add(new NugetDirective(nuget.Groups["name"].Value, nuget.Groups["version"].Success && nuget.Groups["version"].Value.Length > 0 ? nuget.Groups["version"].Value : null, i + 1));
            else
                assemblies.Add(new AssemblyDirective(target, i + 1));
            lines[i] = "";
        }
        return new CellSource(language, packages, assemblies, string.Join("\n", lines));
    }
}
