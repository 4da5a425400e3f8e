using System.Text.RegularExpressions;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// Seed-spec §4 as committed in tests/reference/seed-spec-claims.md (a verbatim copy of the section): each numbered
/// claim's text (continuation lines joined) and the seed of the heading above it.
/// </summary>
public static partial class SeedSpecClaims
{
    public static string ExcerptPath => Path.Combine(TestSupport.RepoRoot, "tests", "reference", "seed-spec-claims.md");

    /// <summary>The seed spec beside the repository (the project's shared folder), when this checkout has one.</summary>
    public static string SharedSpecPath => Path.GetFullPath(Path.Combine(TestSupport.RepoRoot, "..", "shared", "reference", "seed-spec.md"));

    /// <summary>The section's text without the excerpt's first line (the HTML comment saying where it comes from).</summary>
    public static string SectionText()
    {
        var lines = File.ReadAllText(ExcerptPath).ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith("<!--", lines[0]);
        return string.Join('\n', lines.Skip(1));
    }

    /// <summary>Claim number → (seed, text).</summary>
    public static IReadOnlyDictionary<int, (string Seed, string Text)> Claims()
    {
        var claims = new Dictionary<int, (string Seed, string Text)>();
        string? seed = null;
        int? current = null;
        foreach (var line in SectionText().Split('\n'))
        {
            if (SeedHeading().Match(line) is { Success: true } h) { seed = h.Groups[1].Value; current = null; continue; }
            if (NumberedClaim().Match(line) is { Success: true } c)
            {
                current = int.Parse(c.Groups[1].Value);
                Assert.False(claims.ContainsKey(current.Value), $"claim {current} appears twice in §4");
                claims[current.Value] = (seed ?? throw new InvalidDataException($"claim {current} before any seed heading"), c.Groups[2].Value.Trim());
                continue;
            }
            if (current is { } id && line.StartsWith(' ') && line.Trim().Length > 0)
                claims[id] = (claims[id].Seed, claims[id].Text + " " + line.Trim());
            else current = null;
        }
        return claims;
    }

    /// <summary>The numbers in <paramref name="text"/> ("84.69", "0.02" and "0.05" of "0.02–0.05"), not digits inside
    /// names such as C100, 1B or 1C (a letter before or after).</summary>
    public static HashSet<string> Numbers(string text) => [.. Number().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"^\*\*(S\d) \(")]
    private static partial Regex SeedHeading();

    [GeneratedRegex(@"^(\d+)\. (.*)$")]
    private static partial Regex NumberedClaim();

    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)?(?!\w)")]
    private static partial Regex Number();
}
