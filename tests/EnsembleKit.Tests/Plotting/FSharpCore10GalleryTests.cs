using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using EnsembleKit.Plotting;

namespace EnsembleKit.Tests.Plotting;

/// <summary>
/// A load context set up like the .NET Interactive kernel: FSharp.Core 10.0 is loaded first, and every later request for
/// FSharp.Core (Plotly.NET asks for 10.1) is answered by <see cref="FSharpCoreBinding.Resolve"/> with that copy, as the
/// kernel's default context answers it. Plotly.NET, its F# dependencies, EnsembleKit.Plotting and this test assembly
/// are loaded from the output folder into this context, so their FSharp.Core references bind to 10.0; everything else
/// (EnsembleKit, TorchSharp, Microsoft.Data.Analysis, the BCL, xunit) is shared with the default context.
/// </summary>
public sealed class KernelLikeContext : AssemblyLoadContext
{
    /// <summary>
    /// The assemblies this context loads itself (besides FSharp.Core), by simple name. Newtonsoft.Json (Plotly.NET's
    /// serializer) is among them although it does not reference FSharp.Core: it keeps process-wide reflection state about
    /// the FSharp.Core of the F# values it meets, and one copy serving both FSharp.Core copies of this test process would
    /// make the results depend on the test order (the kernel has only one FSharp.Core).
    /// </summary>
    public static readonly IReadOnlySet<string> Own = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Plotly.NET", "DynamicObj", "Giraffe.ViewEngine", "Fable.Core", "Newtonsoft.Json", "EnsembleKit.Plotting",
        typeof(KernelLikeContext).Assembly.GetName().Name!,
    };

    readonly string _folder;

    /// <summary>
    /// The FSharp.Core requests this context answered: what was asked and the file of the answer (not the Assembly: a
    /// context that holds one of its own assemblies can never be collected).
    /// </summary>
    public List<(AssemblyName Requested, string? Answer)> FSharpCoreRequests { get; } = [];

    /// <summary>Loads FSharp.Core from <paramref name="fsharpCorePath"/> before anything else, as the kernel loads its own at start-up.</summary>
    public KernelLikeContext(string folder, string fsharpCorePath) : base("kernel-like (FSharp.Core 10.0)", isCollectible: true)
    {
        _folder = folder;
        LoadFromAssemblyPath(fsharpCorePath);
    }

    /// <summary>The FSharp.Core of this context.</summary>
    public Assembly FSharpCore => Assemblies.Single(a => a.GetName().Name == "FSharp.Core");

    protected override Assembly? Load(AssemblyName name)
    {
        if (string.Equals(name.Name, "FSharp.Core", StringComparison.OrdinalIgnoreCase))
        {
            var answer = FSharpCoreBinding.Resolve(Assemblies, name);
            lock (FSharpCoreRequests) FSharpCoreRequests.Add((name, answer?.Location));
            // The kernel has no other FSharp.Core to fall back on: returning null here would quietly hand out the default
            // context's 10.1, so an unanswered request fails as it fails in the kernel.
            return answer ?? throw new FileNotFoundException($"Could not load file or assembly '{name.FullName}' (kernel-like context).");
        }
        return name.Name is { } simple && Own.Contains(simple) ? LoadFromAssemblyPath(Path.Combine(_folder, simple + ".dll")) : null;
    }

    /// <summary>
    /// Unloads the context. EnsembleKit.Plotting's module initializer ran in here too and put a second
    /// <see cref="FSharpCoreBinding"/> handler on the default context's Resolving event (the kernel loads Plotting once; a
    /// test process has it twice); it is taken off first, so no later load in the default context runs code of this
    /// context. (The memory is not reclaimed before the test process ends even so: serialising a chart leaves
    /// DynamicObj's type in static caches of the shared framework, Microsoft.CSharp's runtime binder and a
    /// System.ComponentModel reflection cache, which Newtonsoft.Json fills when it writes a dynamic object.)
    /// </summary>
    public void DetachAndUnload()
    {
        foreach (var handler in DefaultResolving.Handlers().Where(h => GetLoadContext(h.Method.Module.Assembly) == this))
            Default.Resolving -= (Func<AssemblyLoadContext, AssemblyName, Assembly?>)handler;
        Unload();
    }
}

/// <summary>The handlers on the default load context's Resolving event.</summary>
static class DefaultResolving
{
    /// <summary>Read from the event's private backing field: the event itself does not list its handlers.</summary>
    public static Delegate[] Handlers()
    {
        var field = typeof(AssemblyLoadContext).GetField("_resolving", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("AssemblyLoadContext has no _resolving field in this runtime: update DefaultResolving.Handlers.");
        return (field.GetValue(AssemblyLoadContext.Default) as Delegate)?.GetInvocationList() ?? [];
    }
}

/// <summary>
/// Runs <see cref="ChartGallery"/> once in a <see cref="KernelLikeContext"/> (FSharp.Core 10.0) and once in the default
/// context (FSharp.Core 10.1, as Plotly.NET is built), then unloads the kernel-like context.
/// </summary>
public sealed class FSharpCore10Gallery : IDisposable
{
    public static string Folder => AppContext.BaseDirectory;

    /// <summary>Copied to the output by the test project from the downloaded FSharp.Core package (see the csproj).</summary>
    public static string FSharpCore10Path => Path.Combine(Folder, "fsharp-core-10.0", "FSharp.Core.dll");

    public KernelLikeContext Context { get; }
    public List<(string Builder, string Case, string? Json, int HtmlLength, string? Error)> Charts { get; }
    public List<(string Builder, string Case, string? Json, int HtmlLength, string? Error)> DefaultCharts { get; }
    public (string[] Columns, long Rows) Table { get; }

    public FSharpCore10Gallery()
    {
        Context = new KernelLikeContext(Folder, FSharpCore10Path);
        try
        {
            // ChartGallery as compiled into this assembly's copy in the kernel-like context: its calls bind to FSharp.Core 10.0
            var gallery = Context.LoadFromAssemblyName(typeof(ChartGallery).Assembly.GetName()).GetType(typeof(ChartGallery).FullName!, throwOnError: true)!;
            Charts = (List<(string, string, string?, int, string?)>)Invoke(gallery, nameof(ChartGallery.Render));
            Table = ((string[], long))Invoke(gallery, nameof(ChartGallery.Table));
        }
        catch
        {
            Context.DetachAndUnload();
            throw;
        }
        DefaultCharts = ChartGallery.Render();
    }

    static object Invoke(Type type, string method)
    {
        try { return type.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }

    public void Dispose() => Context.DetachAndUnload();
}

/// <summary>
/// Every chart builder of EnsembleKit.Plotting works on FSharp.Core 10.0, the version the .NET Interactive kernel has
/// already loaded when a notebook references Plotly.NET 6.0.0 (built against 10.1), once <see cref="FSharpCoreBinding"/>
/// hands Plotly.NET's 10.1 requests the loaded 10.0.
/// </summary>
public class FSharpCore10GalleryTests(FSharpCore10Gallery gallery) : IClassFixture<FSharpCore10Gallery>
{
    static readonly Version FSharpCore10 = new(10, 0, 0, 0);

    Assembly InContext(string name) => gallery.Context.Assemblies.Single(a => a.GetName().Name == name);

    [Fact]
    public void TheContextRunsOnFSharpCore10AndPlotlyBindsToIt()
    {
        var fsharpCore = Assert.Single(gallery.Context.Assemblies, a => a.GetName().Name == "FSharp.Core");
        Assert.Equal(FSharpCore10, fsharpCore.GetName().Version);
        Assert.Equal(Path.GetFullPath(FSharpCore10Gallery.FSharpCore10Path), Path.GetFullPath(fsharpCore.Location));
        // the default context runs on the FSharp.Core Plotly.NET is built against: another copy, 10.1 or later
        var defaultFSharpCore = typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly;
        Assert.Equal(10, defaultFSharpCore.GetName().Version!.Major);
        Assert.True(defaultFSharpCore.GetName().Version > FSharpCore10);

        // Plotly.NET and the rest ran from this context, and nothing else was loaded into it (Fable.Core only when needed)
        var loaded = gallery.Context.Assemblies.Select(a => a.GetName().Name!).Where(n => n != "FSharp.Core").ToHashSet();
        Assert.Subset(KernelLikeContext.Own.ToHashSet(), loaded);
        Assert.Superset(KernelLikeContext.Own.Where(n => n != "Fable.Core").ToHashSet(), loaded);

        // Plotly.NET asks for FSharp.Core 10.1 and got 10.0: the F# types in its signatures are the 10.0 ones.
        var plotly = InContext("Plotly.NET");
        var reference = plotly.GetReferencedAssemblies().Single(a => a.Name == "FSharp.Core");
        Assert.Equal(new Version(10, 1, 0, 0), reference.Version);
        var mapTrace = plotly.GetType("Plotly.NET.GenericChart", throwOnError: true)!.GetMethod("mapTrace")!;
        Assert.Same(fsharpCore, mapTrace.GetParameters()[0].ParameterType.Assembly);   // FSharpFunc<Trace, Trace>
        var withTitle = plotly.GetType("Plotly.NET.Chart", throwOnError: true)!.GetMethods().First(m => m.Name == "withTitle");
        Assert.Contains(withTitle.GetParameters(), p => p.ParameterType.IsGenericType
            && p.ParameterType.GetGenericTypeDefinition() == fsharpCore.GetType("Microsoft.FSharp.Core.FSharpOption`1", throwOnError: true));
        // EnsembleKit.Plotting's own typeof(FSharpOption<>) (FSharpInterop.IsOption, which picks Plotly.NET's overloads) is the 10.0 one too.
        var isOption = InContext("EnsembleKit.Plotting").GetType("EnsembleKit.Plotting.FSharpInterop", throwOnError: true)!
            .GetMethod("IsOption", BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(isOption is not null, "FSharpInterop.IsOption(Type) not found: update this test");
        var option10 = fsharpCore.GetType("Microsoft.FSharp.Core.FSharpOption`1", throwOnError: true)!.MakeGenericType(typeof(int));
        Assert.True((bool)isOption.Invoke(null, [option10])!);
        Assert.False((bool)isOption.Invoke(null, [typeof(Microsoft.FSharp.Core.FSharpOption<int>)])!);   // the default context's copy

        // every FSharp.Core request was answered by FSharpCoreBinding.Resolve with the 10.0 copy, among them a 10.1 one
        Assert.NotEmpty(gallery.Context.FSharpCoreRequests);
        Assert.All(gallery.Context.FSharpCoreRequests, r => Assert.Equal(fsharpCore.Location, r.Answer));
        Assert.Contains(gallery.Context.FSharpCoreRequests, r => r.Requested.Version == new Version(10, 1, 0, 0));
    }

    [Fact]
    public void EveryChartBuilderRendersOnFSharpCore10()
    {
        var failures = gallery.Charts.Where(c => c.Error is not null).Select(c => $"{c.Builder} [{c.Case}]: {c.Error}").ToList();
        Assert.True(failures.Count == 0, "chart builders failed on FSharp.Core 10.0:\n" + string.Join("\n\n", failures));
        Assert.All(gallery.Charts, c =>
        {
            var figure = JsonNode.Parse(c.Json!)!;
            Assert.True(figure["data"] is JsonArray { Count: > 0 }, $"{c.Builder} [{c.Case}]: no traces in {c.Json}");
            Assert.True(c.HtmlLength > c.Json!.Length, $"{c.Builder} [{c.Case}]: HTML of {c.HtmlLength} characters");
        });
    }

    [Fact]
    public void FSharpCore10AndTheDefaultFSharpCoreDrawTheSameCharts()
    {
        Assert.All(gallery.DefaultCharts, c => Assert.Null(c.Error));
        Assert.Equal(gallery.DefaultCharts.Select(c => (c.Builder, c.Case, c.Json)), gallery.Charts.Select(c => (c.Builder, c.Case, c.Json)));
        // the HTML differs only in the random id of the chart's div, which has a fixed length
        Assert.Equal(gallery.DefaultCharts.Select(c => c.HtmlLength), gallery.Charts.Select(c => c.HtmlLength));
    }

    [Fact]
    public void TheGalleryCoversEveryPublicChartBuilder()
    {
        var builders = ChartGallery.Builders(InContext("EnsembleKit.Plotting").GetType("EnsembleKit.Plotting.Charts", throwOnError: true)!)
            .Select(ChartGallery.Key).ToList();
        Assert.Equal(builders.Count, builders.Distinct().Count());   // if two overloads share a key, make ChartGallery.Key finer
        Assert.Equal(ChartGallery.Builders(typeof(Charts)).Select(ChartGallery.Key).Order(), builders.Order());
        var covered = gallery.Charts.Select(c => c.Builder).Distinct().ToList();
        Assert.Empty(builders.Except(covered));   // a builder listed here has no case in ChartGallery
        Assert.Empty(covered.Except(builders));   // a gallery key that names no builder
    }

    [Fact]
    public void TablesToDataFrameWorksOnFSharpCore10()
    {
        Assert.Equal(["Name", "Accuracy", "Nll", "Ece", "Brier"], gallery.Table.Columns);
        Assert.Equal(2, gallery.Table.Rows);
    }
}
