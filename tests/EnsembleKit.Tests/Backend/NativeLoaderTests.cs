using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using EnsembleKit.Backend;

namespace EnsembleKit.Tests.Backend;

[SupportedOSPlatform("linux")]
public class NativeLoaderTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static string NuGetGlue => Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void TheGlueNeedsGlibcxx332OnlyForTheIostreamMarker()
    {
        var elf = ElfVersionNeeds.Read(NuGetGlue);
        var need = elf.Needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        Assert.Equal(["_ZSt21ios_base_library_initv"], elf.SymbolsUsing(need).ToArray());
    }

    [Fact]
    public void PatchedCopyMarksOnlyThatNeedWeak()
    {
        var elf = ElfVersionNeeds.Read(NuGetGlue);
        var need = elf.Needs.Single(n => n.Version == "GLIBCXX_3.4.32");
        var target = Path.Combine(_temp.NewFolder(), "libLibTorchSharp.so");
        elf.WriteWithWeakNeeds([need], target);
        var patched = ElfVersionNeeds.Read(target);
        Assert.True(patched.Needs.Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(elf.Needs.Count(n => n.IsWeak) + 1, patched.Needs.Count(n => n.IsWeak));
        // one 16-bit field differs, nothing else
        var a = File.ReadAllBytes(NuGetGlue);
        var b = File.ReadAllBytes(target);
        Assert.Equal(a.Length, b.Length);
        Assert.Single(Enumerable.Range(0, a.Length), i => a[i] != b[i]);
    }

    [Fact]
    public void TorchLoadsAndTheNuGetCacheIsUntouched()
    {
        var before = SHA256.HashData(File.ReadAllBytes(NuGetGlue));
        TorchRuntime.EnsureInitialized();
        using var x = TorchSharp.torch.ones(2, 2);
        Assert.Equal(4f, x.sum().item<float>());
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(NuGetGlue)));
        Assert.DoesNotContain(".nuget", TorchRuntime.NativeReport.LibTorchSharpLoaded.Replace(TorchRuntime.NativeReport.LibTorchSharpOriginal, ""));
    }

    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;

    /// <summary>The glue's GLIBCXX_3.4.32 need, which the cache marks weak.</summary>
    static (ElfVersionNeeds Elf, ElfVersionNeeds.Need[] Weaken) Glue()
    {
        var elf = ElfVersionNeeds.Read(NuGetGlue);
        return (elf, [elf.Needs.Single(n => n.Version == "GLIBCXX_3.4.32")]);
    }

    /// <summary>A cache under the temp folder, its copy prepared once; returns the cache, the copy and the bytes it must hold.</summary>
    (PatchedGlueCache Cache, PatchedCopy Copy, byte[] Expected) PreparedCache()
    {
        var (elf, weaken) = Glue();
        var cache = new PatchedGlueCache(Path.Combine(_temp.NewFolder(), "native"));
        return (cache, cache.Prepare(NuGetGlue, elf, weaken), elf.WithWeakNeeds(weaken));
    }

    static PatchedCopy PrepareAgain(PatchedGlueCache cache)
    {
        var (elf, weaken) = Glue();
        return cache.Prepare(NuGetGlue, elf, weaken);
    }

    [Fact]
    public void TheCacheWritesTheCopyAndItsRecordIntoPrivateFolders()
    {
        var root = Path.Combine(_temp.NewFolder(), "made", "by", "the kit", "native");
        var (elf, weaken) = Glue();
        var copy = new PatchedGlueCache(root).Prepare(NuGetGlue, elf, weaken);

        Assert.Equal("written", copy.Status);
        var sourceHash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(NuGetGlue))).ToLowerInvariant();
        Assert.Equal(Path.Combine(root, sourceHash[..16], "libLibTorchSharp.so"), copy.Path);
        var bytes = File.ReadAllBytes(copy.Path);
        Assert.Equal(elf.WithWeakNeeds(weaken), bytes);
        Assert.Equal([$"sha256 {Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}", $"source-sha256 {sourceHash}", "weakened GLIBCXX_3.4.32", $"source {NuGetGlue}"],
            File.ReadAllLines(PatchedGlueCache.RecordPath(copy.Path)));
        // Every folder the kit made, parents included, is 0700; the files are 0600 (less the umask, which only removes bits).
        for (var folder = Path.GetDirectoryName(copy.Path)!; folder != Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(root))); folder = Path.GetDirectoryName(folder)!)
            Assert.True(Private == File.GetUnixFileMode(folder), $"{folder}: {PrivateFolder.Octal(File.GetUnixFileMode(folder))}");
        Assert.Equal(0, (int)(File.GetUnixFileMode(copy.Path) & ~OwnerReadWrite));
        Assert.Equal(0, (int)(File.GetUnixFileMode(PatchedGlueCache.RecordPath(copy.Path)) & ~OwnerReadWrite));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(copy.Path)!, "*.tmp"));
    }

    [Fact]
    public void AnIntactCopyIsVerifiedAndNotRewritten()
    {
        var (cache, copy, _) = PreparedCache();
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy.Path, stamp);
        var again = PrepareAgain(cache);
        Assert.Equal(copy.Path, again.Path);
        Assert.Equal("verified against its SHA-256 record", again.Status);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(copy.Path));
    }

    /// <summary>Each way a cached copy can go wrong, and the reason the cache gives for rebuilding it.</summary>
    public static IEnumerable<object[]> Damages() => new (string, Action<string>, string)[]
    {
        // A truncated copy used to be loaded as it was: the loader maps it and the process dies of SIGBUS (exit 135).
        ("truncated", so => { using var f = File.OpenWrite(so); f.SetLength(100_000); }, "rebuilt: truncated: 100000 bytes, expected "),
        ("deleted", File.Delete, "written"),
        ("one byte changed", so => { var b = File.ReadAllBytes(so); b[5000] ^= 0xff; File.WriteAllBytes(so, b); }, "rebuilt: its SHA-256 differs from its record (the file was changed)"),
        ("replaced by other code", so => File.Copy(NuGetGlue, so, overwrite: true), "rebuilt: its SHA-256 differs from its record"),
        ("record deleted", so => File.Delete(PatchedGlueCache.RecordPath(so)), "rebuilt: no SHA-256 record beside it (an interrupted write?)"),
        ("record garbled", so => File.WriteAllText(PatchedGlueCache.RecordPath(so), "sha256 not-a-hash\n"), "rebuilt: its SHA-256 record is unreadable"),
        ("record from another source", so => RewriteRecordLine(so, 1, "source-sha256 " + new string('0', 64)),
            "rebuilt: made from another source (SHA-256 0000000000000000..., now "),
        ("record and copy replaced together", so =>
        {
            File.Copy(NuGetGlue, so, overwrite: true);
            RewriteRecordLine(so, 0, "sha256 " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(NuGetGlue))).ToLowerInvariant());
        }, "rebuilt: its record describes other content than this source gives"),
    }.Select(d => new object[] { d.Item1, d.Item2, d.Item3 });

    static void RewriteRecordLine(string copy, int line, string text)
    {
        var record = File.ReadAllLines(PatchedGlueCache.RecordPath(copy));
        record[line] = text;
        File.WriteAllLines(PatchedGlueCache.RecordPath(copy), record);
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedCopyIsRebuiltBeforeItIsLoaded(string damage, Action<string> harm, string status)
    {
        var (cache, copy, expected) = PreparedCache();
        harm(copy.Path);
        var again = PrepareAgain(cache);
        Assert.True(again.Status.StartsWith(status, StringComparison.Ordinal), $"{damage}: {again.Status}");
        Assert.Equal(copy.Path, again.Path);
        Assert.Equal(expected, File.ReadAllBytes(again.Path));
        Assert.Equal("verified against its SHA-256 record", PrepareAgain(cache).Status);
    }

    [Fact]
    public void OtherNeedsOrAnotherSourceGiveAnotherCopy()
    {
        var (cache, copy, _) = PreparedCache();
        var (elf, _) = Glue();
        // The same source with nothing weakened (a libstdc++ upgrade): same folder, rebuilt.
        var plain = cache.Prepare(NuGetGlue, elf, []);
        Assert.Equal(copy.Path, plain.Path);
        Assert.Equal("rebuilt: made with other needs marked weak ('GLIBCXX_3.4.32', now '')", plain.Status);
        Assert.Equal(File.ReadAllBytes(NuGetGlue), File.ReadAllBytes(plain.Path));
        // Another source (a TorchSharp upgrade): its own folder; the first copy stays as it was.
        var upgraded = _temp.File("libLibTorchSharp.so");
        File.WriteAllBytes(upgraded, [.. File.ReadAllBytes(NuGetGlue), .. "another build"u8.ToArray()]);
        var upgradedElf = ElfVersionNeeds.Read(upgraded);
        var other = cache.Prepare(upgraded, upgradedElf, [upgradedElf.Needs.Single(n => n.Version == "GLIBCXX_3.4.32")]);
        Assert.Equal("written", other.Status);
        Assert.NotEqual(Path.GetDirectoryName(copy.Path), Path.GetDirectoryName(other.Path));
        Assert.Equal(Path.GetDirectoryName(Path.GetDirectoryName(copy.Path)), Path.GetDirectoryName(Path.GetDirectoryName(other.Path)));
        Assert.Equal("verified against its SHA-256 record", cache.Prepare(NuGetGlue, elf, []).Status);
    }

    [Fact]
    public void FoldersOthersCanWriteAreNarrowed()
    {
        var (cache, copy, _) = PreparedCache();
        var folder = Path.GetDirectoryName(copy.Path)!;
        File.SetUnixFileMode(cache.Root, Everyone);
        File.SetUnixFileMode(folder, Everyone | UnixFileMode.SetGroup);
        var again = PrepareAgain(cache);
        Assert.Equal($"verified against its SHA-256 record; {cache.Root} was writable by others (mode 777); narrowed to 755; "
            + $"{folder} was writable by others (mode 2777); narrowed to 2755", again.Status);
        Assert.Equal(Everyone & ~(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite), File.GetUnixFileMode(cache.Root));
        Assert.Equal("verified against its SHA-256 record", PrepareAgain(cache).Status);
    }

    [Fact]
    public void AFolderAboveTheRootThatOthersCanWriteIsReportedNotChanged()
    {
        var (cache, _, _) = PreparedCache();
        var above = Path.GetDirectoryName(cache.Root)!;
        File.SetUnixFileMode(above, Everyone);
        Assert.Equal($"verified against its SHA-256 record; warning: others can write {above} (mode 777), so they could swap {cache.Root}; chmod go-w it",
            PrepareAgain(cache).Status);
        Assert.Equal(Everyone, File.GetUnixFileMode(above));
        // Sticky, like /tmp: others cannot rename what is in it.
        File.SetUnixFileMode(above, Everyone | UnixFileMode.StickyBit);
        Assert.Equal("verified against its SHA-256 record", PrepareAgain(cache).Status);
    }

    [Fact]
    public void AFolderOfAnotherUsersIsRefused()
    {
        var (cache, copy, _) = PreparedCache();
        var stranger = PrivateFolder.CurrentUser + 1;
        var (elf, weaken) = Glue();
        var e = Assert.Throws<UnauthorizedAccessException>(() => new PatchedGlueCache(cache.Root, owner: stranger).Prepare(NuGetGlue, elf, weaken));
        Assert.Contains($"{cache.Root} belongs to user {PrivateFolder.CurrentUser}, not to this user ({stranger})", e.Message);
        Assert.Contains("KIT_CACHE", e.Message);
        // A fresh root is created, so it is the user's own.
        Assert.Equal("written", new PatchedGlueCache(Path.Combine(_temp.NewFolder(), "native"), owner: PrivateFolder.CurrentUser).Prepare(NuGetGlue, elf, weaken).Status);
        Assert.True(File.Exists(copy.Path));
    }

    [Fact]
    public void TheLoaderPreparesTheGlueInTheCacheItIsGiven()
    {
        var cache = new PatchedGlueCache(Path.Combine(_temp.NewFolder(), "native"));
        var (path, weakened, status) = NativeLoader.PrepareGlue(NuGetGlue, cache);
        if (weakened.Count == 0)
        {
            // This system's libstdc++ has every version the glue needs: it is loaded as it is, and no cache is made.
            Assert.Equal(NuGetGlue, path);
            Assert.Null(status);
            Assert.False(Directory.Exists(cache.Root));
            return;
        }
        Assert.StartsWith(cache.Root + "/", path);
        Assert.Equal("written", status);
        var stranger = new PatchedGlueCache(cache.Root, owner: PrivateFolder.CurrentUser + 1);
        var e = Assert.Throws<DllNotFoundException>(() => NativeLoader.PrepareGlue(NuGetGlue, stranger));
        Assert.Contains("Could not prepare the patched copy", e.Message);
        Assert.Contains("KIT_CACHE", e.Message);
    }

    /// <summary>
    /// End to end, in a child process with umask 000 and a cache in the temp folder: <c>kit doctor</c> makes private
    /// folders, and survives a truncated copy (it used to die of SIGBUS, exit 135), rebuilding it.
    /// </summary>
    [Fact]
    public void KitDoctorMakesAPrivateCacheUnderUmask000AndRebuildsATruncatedCopy()
    {
        var cacheRoot = Path.Combine(_temp.NewFolder(), "cache");
        var (code, output) = RunDoctorWithUmask000(cacheRoot);
        Assert.True(code == 0, output);
        if (!output.Contains("marked weak", StringComparison.Ordinal)) return;   // no patched copy needed on this system
        Assert.Contains("cached copy written", output);
        var copy = Directory.GetFiles(Path.Combine(cacheRoot, "native"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        foreach (var folder in new[] { cacheRoot, Path.Combine(cacheRoot, "native"), Path.GetDirectoryName(copy)! })
            Assert.True(Private == File.GetUnixFileMode(folder), $"{folder}: {PrivateFolder.Octal(File.GetUnixFileMode(folder))}");
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(copy));
        var intact = File.ReadAllBytes(copy);

        using (var f = File.OpenWrite(copy)) f.SetLength(100_000);
        (code, output) = RunDoctorWithUmask000(cacheRoot);
        Assert.True(code == 0, output);
        Assert.Contains($"cached copy rebuilt: truncated: 100000 bytes, expected {intact.Length}", output);
        Assert.Equal(intact, File.ReadAllBytes(copy));
    }

    static (int ExitCode, string Output) RunDoctorWithUmask000(string cacheRoot)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("umask 000 && exec dotnet \"$0\" doctor");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        info.Environment["KIT_CACHE"] = cacheRoot;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    [Fact]
    public void NotAnElfFileIsRejected()
    {
        var path = Path.Combine(_temp.NewFolder(), "fake.so");
        File.WriteAllText(path, "definitely not an ELF shared object, padded to more than sixty-four bytes......");
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void SettingsParseAndRejectBadValues()
    {
        Assert.Equal(DeviceChoice.Cuda, KitSettings.ParseDevice("CUDA"));
        Assert.Equal(DeviceChoice.Auto, KitSettings.ParseDevice("auto"));
        var e = Assert.Throws<ArgumentException>(() => KitSettings.ParseDevice("tpu"));
        Assert.Contains("tpu", e.Message);
    }
}
