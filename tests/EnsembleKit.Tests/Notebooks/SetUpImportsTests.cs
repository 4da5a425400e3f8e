using System.IO.Compression;
using System.Text.RegularExpressions;
using EnsembleKit.Notebooks;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// The kit's packages import their namespaces into a notebook through their extension.dib scripts: the scripts, the list
/// in <see cref="NotebookConventions.ImportedNamespaces"/> and the libraries' public namespaces stay equal, and the packed
/// packages carry the scripts.
/// </summary>
public class SetUpImportsTests
{
    static readonly string Library = Path.Combine(TestNotebooks.Repository, "lib");

    static IEnumerable<string> UsingsOf(string script) =>
        Regex.Matches(script, @"^using (?<ns>[\w.]+);\s*$", RegexOptions.Multiline).Select(m => m.Groups["ns"].Value);

    static IEnumerable<string> PublicNamespacesOf(System.Reflection.Assembly assembly) =>
        assembly.GetExportedTypes().Select(t => t.Namespace!).Distinct();

    [Fact]
    public void TheScriptsImportEveryPublicNamespaceOfTheLibrariesAndTorchSharp()
    {
        var library = UsingsOf(File.ReadAllText(Path.Combine(Library, "EnsembleKit.Interactive", "extension.dib"))).ToList();
        var plotting = UsingsOf(File.ReadAllText(Path.Combine(Library, "EnsembleKit.Plotting", "interactive", "extension.dib"))).ToList();
        Assert.Equal(["TorchSharp", .. PublicNamespacesOf(typeof(EnsembleKit.Ensembles.DeepEnsemble).Assembly).Order(StringComparer.Ordinal)],
            library.Take(1).Concat(library.Skip(1).Order(StringComparer.Ordinal)));
        Assert.Equal(PublicNamespacesOf(typeof(EnsembleKit.Plotting.Charts).Assembly), plotting);
        Assert.Equal(NotebookConventions.ImportedNamespaces.Order(StringComparer.Ordinal), library.Concat(plotting).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheBuiltPackagesCarryTheScripts()
    {
        // The test project references the kit tool, whose build packs both libraries into lib/packages.
        foreach (var (id, source) in new[] { ("EnsembleKit", "EnsembleKit.Interactive/extension.dib"), ("EnsembleKit.Plotting", "EnsembleKit.Plotting/interactive/extension.dib") })
        {
            using var zip = ZipFile.OpenRead(Path.Combine(Library, "packages", $"{id}.{NotebookConventions.KitVersion}.nupkg"));
            var entry = zip.GetEntry("interactive-extensions/dotnet/extension.dib");
            Assert.True(entry is not null, $"{id} has no interactive-extensions/dotnet/extension.dib");
            using var reader = new StreamReader(entry.Open());
            Assert.Equal(File.ReadAllText(Path.Combine(Library, source)).ReplaceLineEndings("\n"), reader.ReadToEnd().ReplaceLineEndings("\n"));
        }
    }
}
