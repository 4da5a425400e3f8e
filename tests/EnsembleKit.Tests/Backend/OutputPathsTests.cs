using EnsembleKit.Backend;

namespace EnsembleKit.Tests.Backend;

/// <summary>Outputs are checked writable before work starts, and write errors name the file asked for.</summary>
public class OutputPathsTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AWritableFolderPassesAndTheProbeLeavesNothing()
    {
        var existing = _temp.NewFolder();
        Assert.Null(OutputPaths.FolderProblem(existing));
        Assert.Empty(Directory.EnumerateFileSystemEntries(existing));

        var missing = Path.Combine(existing, "a", "b");
        Assert.Null(OutputPaths.FolderProblem(missing));
        Assert.False(Directory.Exists(Path.Combine(existing, "a"))); // checking creates nothing
        Assert.Null(OutputPaths.FileProblem(Path.Combine(missing, "out.ipynb")));
    }

    [Fact]
    public void AFileWhereAFolderIsExpectedIsNamed()
    {
        var file = Path.Combine(_temp.NewFolder(), "results");
        File.WriteAllText(file, "not a folder");
        Assert.Equal($"{file} is a file, not a folder.", OutputPaths.FolderProblem(file));
        Assert.Equal($"cannot create folder {file}/sub: {file} is a file.", OutputPaths.FolderProblem(Path.Combine(file, "sub")));
        Assert.Contains($"{file} is a file", OutputPaths.FileProblem(Path.Combine(file, "sub", "out.html")));

        var folder = _temp.NewFolder();
        Assert.Equal($"{folder} is a folder, not a file.", OutputPaths.FileProblem(folder));
    }

    [Theory]
    [InlineData("/proc/x", "/proc")]          // a pseudo file system that takes no new files
    [InlineData("/sys/kernel/x/y", "/sys/kernel")] // read-only, even for root
    public void AFolderThatCannotBeWrittenIsNamed(string target, string existing)
    {
        var problem = OutputPaths.FolderProblem(target);
        Assert.NotNull(problem);
        Assert.StartsWith($"cannot create {target}: cannot write in {existing}: ", problem);
        Assert.DoesNotContain(".tmp", problem);
    }

    [Fact]
    public void AtomicFileErrorsNameTheTargetNotTheTemporaryFile()
    {
        var file = Path.Combine(_temp.NewFolder(), "results");
        File.WriteAllText(file, "a file where a folder is needed");
        foreach (var target in new[] { Path.Combine(file, "results.csv"), "/proc/x.csv", "/sys/kernel/x.csv" })
        {
            var e = Assert.ThrowsAny<Exception>(() => AtomicFile.WriteAllText(target, "data"));
            Assert.True(e is IOException or UnauthorizedAccessException, e.ToString());
            Assert.StartsWith($"cannot write {target}: ", e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
        }
    }

    [Fact]
    public void AtomicFilePassesTheCallersOwnErrorsOn()
    {
        // A download's network error is not about the file: it is not renamed into a write error.
        var target = Path.Combine(_temp.NewFolder(), "download.bin");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(target, _ => throw new IOException("connection reset")));
        Assert.Equal("connection reset", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(target)!)); // no temporary file left
    }
}
