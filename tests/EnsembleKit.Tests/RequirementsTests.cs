using System.Xml.Linq;

namespace EnsembleKit.Tests;

public class RequirementsTests
{
    /// <summary>Name==Version lines of requirements-dotnet.txt (comments and kernel-only lines skipped).</summary>
    public static Dictionary<string, string> Requirements() =>
        File.ReadLines(Path.Combine(TestSupport.RepoRoot, "requirements-dotnet.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split("=="))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void RequirementsEqualDirectoryPackagesProps()
    {
        var props = XDocument.Load(Path.Combine(TestSupport.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(props.OrderBy(p => p.Key), Requirements().OrderBy(p => p.Key));
    }
}
