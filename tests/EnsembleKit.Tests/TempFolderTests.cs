namespace EnsembleKit.Tests;

public class TempFolderTests
{
    [Fact]
    public void DisposeDeletesTheFolderWithEverythingInIt()
    {
        string path, first, second;
        using (var temp = new TempFolder())
        {
            path = temp.Path;
            Assert.StartsWith(Path.GetFullPath(Path.GetTempPath()), path);
            first = temp.NewFolder();
            second = temp.NewFolder();
            Assert.NotEqual(first, second);
            Assert.Empty(Directory.EnumerateFileSystemEntries(second));
            File.WriteAllText(Path.Combine(first, "a.txt"), "a");
            Directory.CreateDirectory(Path.Combine(first, "nested", "deeper"));
            File.WriteAllText(temp.File("b.txt"), "b");
        }
        Assert.False(Directory.Exists(path));
        new TempFolder().Dispose();   // and a folder already gone is fine
        var gone = new TempFolder();
        Directory.Delete(gone.Path);
        gone.Dispose();
    }
}
