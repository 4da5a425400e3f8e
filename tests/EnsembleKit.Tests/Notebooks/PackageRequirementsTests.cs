using EnsembleKit.Notebooks;

namespace EnsembleKit.Tests.Notebooks;

public class PackageRequirementsTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    PackageRequirements Sample()
    {
        var path = _temp.File(PackageRequirements.FileName);
        File.WriteAllText(path, "# comment\nTorchSharp-cpu==0.107.0\nPlotly.NET == 6.0.0\n# kernel-only Plotly.NET.Interactive==6.0.0\n# Other==1.0 (a plain comment)\n");
        return PackageRequirements.Load(path);
    }

    [Fact]
    public void ReadsPinsAndKernelOnlyPins()
    {
        var r = Sample();
        Assert.Equal([new PinnedPackage("TorchSharp-cpu", "0.107.0", false), new PinnedPackage("Plotly.NET", "6.0.0", false), new PinnedPackage("Plotly.NET.Interactive", "6.0.0", true)], r.Packages);
        Assert.Equal("Plotly.NET", r.Require("plotly.net", "6.0.0").Name);
    }

    [Fact]
    public void MismatchUnknownAndMissingVersionsAreErrorsThatSayWhy()
    {
        var r = Sample();
        Assert.Contains("does not match the pinned version 0.107.0", Assert.Throws<InvalidDataException>(() => r.Require("TorchSharp-cpu", "0.105.0")).Message);
        Assert.Contains("is not pinned", Assert.Throws<InvalidDataException>(() => r.Require("Other", "1.0")).Message);
        Assert.Contains("has no version", Assert.Throws<InvalidDataException>(() => r.Require("Plotly.NET", null)).Message);
    }

    [Fact]
    public void TheKitsOwnPackagesAreRequiredAtTheKitsVersionNotAPin()
    {
        var r = Sample(); // pins no EnsembleKit: the kit's packages go by the version of the kit that runs the notebook
        var kit = NotebookConventions.KitVersion;
        Assert.Equal(LocalVersionPrefix(), kit);
        Assert.Equal(new PinnedPackage("EnsembleKit", kit, false), r.Require("EnsembleKit", kit));
        Assert.Equal(kit, r.Require("ensemblekit.plotting", kit).Version);
        var wrong = Assert.Throws<InvalidDataException>(() => r.Require("EnsembleKit", "0.0.1")).Message;
        Assert.Contains($"use #r \"nuget: EnsembleKit, {kit}\"", wrong);
        Assert.Contains("does not name this kit's version", Assert.Throws<InvalidDataException>(() => r.Require("EnsembleKit.Plotting", null)).Message);
        // Only the kit's two packages: a look-alike name is an unpinned package like any other.
        Assert.Contains("is not pinned", Assert.Throws<InvalidDataException>(() => r.Require("EnsembleKit.Extras", kit)).Message);
    }

    [Fact]
    public void OutsideAnyCheckoutOnlyTheKitsOwnPackagesAreChecked()
    {
        var none = PackageRequirements.Unpinned;
        Assert.Null(none.Path);
        Assert.Equal(new PinnedPackage("Some.Package", "2.0.0", false), none.Require("Some.Package", " 2.0.0"));
        Assert.Equal("", none.Require("Unversioned", null).Version);
        Assert.Contains("does not name this kit's version", Assert.Throws<InvalidDataException>(() => none.Require("EnsembleKit", "9.9.9")).Message);
        Assert.Equal(NotebookConventions.KitVersion, none.Require("EnsembleKit", NotebookConventions.KitVersion).Version);
    }

    /// <summary>The version the repository builds (Directory.Build.props), read independently of the assembly.</summary>
    static string LocalVersionPrefix() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(TestNotebooks.Repository, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value.Trim();

    [Fact]
    public void TheRepositoryFileParses()
    {
        var r = PackageRequirements.Load(TestNotebooks.RequirementsPath);
        Assert.Contains(r.Packages, p => p.Name == "TorchSharp-cpu" && !p.KernelOnly);
    }
}
