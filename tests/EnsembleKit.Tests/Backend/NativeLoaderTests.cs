using System.Security.Cryptography;
using EnsembleKit.Backend;

namespace EnsembleKit.Tests.Backend;

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
