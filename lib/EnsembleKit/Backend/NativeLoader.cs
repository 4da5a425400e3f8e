using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using TorchSharp;

namespace EnsembleKit.Backend;

/// <summary>Where each native library came from, for <c>kit doctor</c> and error messages.</summary>
public sealed record NativeLoadReport(
    string LibTorchFolder,
    string LibTorchSharpOriginal,
    string LibTorchSharpLoaded,
    IReadOnlyList<string> WeakenedVersions,
    bool FromKitLibTorch,
    IReadOnlyList<string> LoadedLibraries,
    string? PatchedCopyStatus = null);

/// <summary>
/// Loads libtorch and TorchSharp's native glue before TorchSharp tries to, so that the kit works on
/// Debian 12 with no manual step, and so that an existing libtorch (e.g. PyTorch's CUDA build) can be
/// used instead of the NuGet one.
/// </summary>
/// <remarks>
/// Order matters: libtorch's own libraries are loaded first by full path; then
/// <c>libLibTorchSharp.so</c>, whose <c>NEEDED</c> entries are then satisfied by soname. If the system
/// libstdc++ lacks a version that the glue needs only for link-time markers, a private copy with that
/// need marked weak is written to the kit's cache (never into the NuGet cache) and loaded instead, once
/// <see cref="PatchedGlueCache"/> has checked it against its SHA-256 record (and rebuilt it if need be).
/// A DllImport resolver then hands TorchSharp the loaded handle.
/// </remarks>
internal static class NativeLoader
{
    /// <summary>Symbols that are link-time markers only: a missing version on them is harmless.</summary>
    static readonly HashSet<string> MarkerSymbols = new(StringComparer.Ordinal)
    {
        "_ZSt21ios_base_library_initv", // std::ios_base_library_init(), GCC 13's iostream init marker
    };

    static readonly string[] LibTorchOrder =
        ["libgomp", "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so"];

    static IntPtr s_glueHandle;

    public static NativeLoadReport Load(string? libTorchFolder)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("EnsembleKit's native loader supports Linux x64; on other systems let TorchSharp load itself.");

        string glue = FindGlue() ?? throw new DllNotFoundException(
            "libLibTorchSharp.so was not found beside the application, in runtimes/linux-x64/native, " +
            "or in the NuGet cache (torchsharp/0.107.0). Run 'dotnet restore Kit.sln' first.");

        bool fromEnv = libTorchFolder is not null;
        string torchFolder = libTorchFolder ?? FindLibTorchFolder(Path.GetDirectoryName(glue)!) ?? throw new DllNotFoundException(
            "libtorch_cpu.so was not found beside libLibTorchSharp.so or in the NuGet cache (libtorch-cpu-linux-x64/2.10.0). " +
            "Run 'dotnet restore Kit.sln', or set KIT_LIBTORCH to a libtorch 'lib' folder (e.g. a PyTorch install's torch/lib).");
        if (!File.Exists(Path.Combine(torchFolder, "libtorch_cpu.so")))
            throw new DllNotFoundException($"KIT_LIBTORCH={torchFolder}: that folder has no libtorch_cpu.so. Point it at libtorch's 'lib' folder (python3 -c \"import torch,os; print(os.path.join(os.path.dirname(torch.__file__),'lib'))\").");

        var loaded = new List<string>();
        foreach (var prefix in LibTorchOrder)
        {
            foreach (var file in Directory.EnumerateFiles(torchFolder, prefix + "*").Where(f => IsLibTorchFile(f, prefix)).Order())
            {
                NativeLibrary.Load(file);
                loaded.Add(file);
            }
        }

        var (toLoad, weakened, cacheStatus) = PrepareGlue(glue, PatchedGlueCache.Default);
        s_glueHandle = NativeLibrary.Load(toLoad);
        loaded.Add(toLoad);
        NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
        return new NativeLoadReport(torchFolder, glue, toLoad, weakened, fromEnv, loaded, cacheStatus);
    }

    static bool IsLibTorchFile(string file, string prefix)
    {
        var name = Path.GetFileName(file);
        return prefix == "libgomp" ? name.Contains(".so") : name == prefix;
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name is "LibTorchSharp" or "libLibTorchSharp" or "libLibTorchSharp.so" ? s_glueHandle : IntPtr.Zero;

    /// <summary>
    /// Returns the glue library to load: <paramref name="glue"/> itself, or a checked copy in <paramref name="cache"/>
    /// patched for the system libstdc++ (with what the cache did, for <c>kit doctor</c>).
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static (string Path, IReadOnlyList<string> Weakened, string? CacheStatus) PrepareGlue(string glue, PatchedGlueCache cache)
    {
        var elf = ElfVersionNeeds.Read(glue);
        var provided = ProvidedVersions();
        var missing = elf.Needs.Where(n => !n.IsWeak && n.Library.StartsWith("libstdc++", StringComparison.Ordinal)
                                           && provided is not null && !provided.Contains(n.Version)).ToList();
        if (missing.Count == 0) return (glue, [], null);

        foreach (var need in missing)
        {
            var users = elf.SymbolsUsing(need).ToList();
            var real = users.Where(s => !MarkerSymbols.Contains(s)).ToList();
            if (real.Count > 0)
                throw new DllNotFoundException(
                    $"{glue} needs {need.Version} from {need.Library}, which this system's libstdc++ lacks, for real symbols " +
                    $"({string.Join(", ", real.Take(5))}). Install a newer libstdc++ (GCC 13+) or set KIT_LIBTORCH.");
        }

        try
        {
            var copy = cache.Prepare(glue, elf, missing);
            return (copy.Path, missing.Select(n => n.Version).ToList(), copy.Status);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DllNotFoundException($"Could not prepare the patched copy of {glue} in {cache.Root}: {e.Message} "
                + "Set KIT_CACHE to a folder of your own that you can write.", e);
        }
    }

    /// <summary>The GLIBCXX versions the process's libstdc++ defines, or null if it cannot be found.</summary>
    static HashSet<string>? ProvidedVersions()
    {
        var path = LoadedLibraryPath("libstdc++.so.6")
                   ?? new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
                       .FirstOrDefault(File.Exists);
        if (path is null) return null;
        return ElfVersionNeeds.Read(path).Definitions.ToHashSet(StringComparer.Ordinal);
    }

    static string? LoadedLibraryPath(string fileName)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 6 && Path.GetFileName(p[5]) == fileName)
                .Select(p => p[5]).FirstOrDefault();
        }
        catch (IOException) { return null; }
    }

    static string? FindGlue()
    {
        const string name = "libLibTorchSharp.so";
        return CandidateFolders("torchsharp", "0.107.0").Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);
    }

    static string? FindLibTorchFolder(string glueFolder) =>
        new[] { glueFolder }.Concat(CandidateFolders("libtorch-cpu-linux-x64", "2.10.0"))
            .FirstOrDefault(f => File.Exists(Path.Combine(f, "libtorch_cpu.so")));

    /// <summary>App folder, the kit library's folder, their runtimes/linux-x64/native, then the NuGet cache.</summary>
    static IEnumerable<string> CandidateFolders(string package, string version)
    {
        // Assembly.Location is empty in a single-file app (AppContext.BaseDirectory covers that case) but is
        // the only clue when a notebook kernel loads the kit's DLL from its build folder.
#pragma warning disable IL3000
        var roots = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(NativeLoader).Assembly.Location), Path.GetDirectoryName(typeof(torch).Assembly.Location) }
            .Where(r => !string.IsNullOrEmpty(r)).Distinct();
#pragma warning restore IL3000
        foreach (var root in roots)
        {
            yield return root!;
            yield return Path.Combine(root!, "runtimes", "linux-x64", "native");
        }
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(nuget, package, version, "runtimes", "linux-x64", "native");
    }
}
