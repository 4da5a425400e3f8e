namespace EnsembleKit.Tests;

/// <summary>
/// A fresh folder under the system temp folder (<c>ek-test-XXXXXX</c>), deleted with everything in it on
/// <see cref="Dispose"/>, so tests leave nothing behind. Use it with <c>using var temp = new TempFolder();</c>, or as a
/// field of a test class that implements <see cref="IDisposable"/> (xunit creates and disposes the class once a test);
/// <see cref="NewFolder"/> hands out fresh, empty subfolders of it.
/// </summary>
public sealed class TempFolder : IDisposable
{
    int _subfolders;

    public TempFolder() => Path = Directory.CreateTempSubdirectory("ek-test-").FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A new, empty subfolder (<c>1</c>, <c>2</c>, ...), created.</summary>
    public string NewFolder()
    {
        var path = System.IO.Path.Combine(Path, Interlocked.Increment(ref _subfolders).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes the folder and everything in it; a folder that is already gone is fine.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public override string ToString() => Path;
}
