using System.Reflection;
using System.Runtime.Loader;
using EnsembleKit.Plotting;
using Microsoft.FSharp.Core;

namespace EnsembleKit.Tests.Plotting;

/// <summary>
/// <see cref="FSharpCoreBinding.Resolve"/> hands a FSharp.Core request the loaded FSharp.Core of the same major version and
/// public key token, and nothing else; the module initializer has installed it on the default load context.
/// </summary>
public class FSharpCoreBindingTests
{
    const string Token = "b03f5f7f11d50a3a";   // FSharp.Core's public key token

    /// <summary>The FSharp.Core of the default context: the 10.1 (or later 10.x) that Plotly.NET 6.0.0 is built against.</summary>
    static Assembly Loaded => typeof(FSharpOption<>).Assembly;

    static AssemblyName Request(string version, string token = Token, string name = "FSharp.Core") =>
        new($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token}");

    [Fact]
    public void TheDefaultContextHasAFSharpCore10AboveTheKernels()
    {
        Assert.Equal(10, Loaded.GetName().Version!.Major);
        Assert.True(Loaded.GetName().Version >= new Version(10, 1, 0, 0));
        Assert.Equal(Token, Convert.ToHexStringLower(Loaded.GetName().GetPublicKeyToken()!));
    }

    [Fact]
    public void ARequestOfTheSameMajorVersionGetsTheLoadedCopy()
    {
        Assembly[] loaded = [typeof(object).Assembly, typeof(FSharpCoreBinding).Assembly, Loaded];
        Assert.Same(Loaded, FSharpCoreBinding.Resolve(loaded, Request("10.1.0.0")));
        Assert.Same(Loaded, FSharpCoreBinding.Resolve(loaded, Request("10.0.0.0")));
        Assert.Same(Loaded, FSharpCoreBinding.Resolve(loaded, Request("10.7.0.0")));
        Assert.Same(Loaded, FSharpCoreBinding.Resolve(loaded, new AssemblyName("FSharp.Core")));   // no version, no token
        Assert.Same(Loaded, FSharpCoreBinding.Resolve(loaded, new AssemblyName("fsharp.core, Version=10.1.0.0")));
    }

    [Fact]
    public void ARequestFor10Point1GetsALoaded10Point0()
    {
        // the kernel's situation: FSharp.Core 10.0 loaded, Plotly.NET asks for 10.1
        var context = new AssemblyLoadContext("FSharp.Core 10.0", isCollectible: true);
        try
        {
            var fsharpCore10 = context.LoadFromAssemblyPath(FSharpCore10Gallery.FSharpCore10Path);
            Assert.Equal(new Version(10, 0, 0, 0), fsharpCore10.GetName().Version);
            Assert.Same(fsharpCore10, FSharpCoreBinding.Resolve([typeof(object).Assembly, fsharpCore10], Request("10.1.0.0")));
            Assert.Same(fsharpCore10, FSharpCoreBinding.Resolve(context.Assemblies, Request("10.1.0.0")));
            Assert.Null(FSharpCoreBinding.Resolve([fsharpCore10], Request("11.0.0.0")));
        }
        finally { context.Unload(); }
    }

    [Fact]
    public void NothingIsHandedOutForAnotherMajorVersionTokenOrAssembly()
    {
        Assembly[] loaded = [typeof(object).Assembly, typeof(FSharpCoreBinding).Assembly, Loaded];
        int before = FSharpCoreBinding.Redirects;
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request("9.0.0.0")));
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request("11.0.0.0")));
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request("10.1.0.0", token: "0123456789abcdef")));
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request("10.1.0.0", name: "FSharp.Core.Extras")));
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request("6.0.0.0", token: "cc7b13ffcd2ddd51", name: "Plotly.NET")));
        Assert.Null(FSharpCoreBinding.Resolve(loaded, Request(typeof(object).Assembly.GetName().Version!.ToString(), token: "7cec85d7bea7798e",
            name: typeof(object).Assembly.GetName().Name!)));   // a loaded assembly other than FSharp.Core is never handed out
        Assert.Null(FSharpCoreBinding.Resolve([typeof(object).Assembly], Request("10.1.0.0")));   // no FSharp.Core loaded
        Assert.Null(FSharpCoreBinding.Resolve([], Request("10.1.0.0")));
        Assert.Equal(before, FSharpCoreBinding.Redirects);   // only answered requests are counted
    }

    [Fact]
    public void AnsweredRequestsAreCounted()
    {
        int before = FSharpCoreBinding.Redirects;
        FSharpCoreBinding.Resolve([Loaded], Request("10.1.0.0"));
        Assert.Equal(before + 1, FSharpCoreBinding.Redirects);
    }

    [Fact]
    public void TheModuleInitializerInstalledTheResolverOnTheDefaultContextOnce()
    {
        // Reading Redirects runs EnsembleKit.Plotting's module initializer if nothing in this process has touched the assembly yet.
        int before = FSharpCoreBinding.Redirects;
        var ours = Ours();
        var handler = Assert.Single(ours);
        FSharpCoreBinding.Install();   // installing again is harmless
        FSharpCoreBinding.Install();
        Assert.Equal(ours, Ours());

        // The handler answers from the default context's assemblies. (A test run cannot show this through
        // AssemblyLoadContext.Default.LoadFromAssemblyName: the test host's own Resolving handler, installed before ours,
        // answers any FSharp.Core request from the test folder.)
        Assert.Same(Loaded, handler.DynamicInvoke(AssemblyLoadContext.Default, Request("10.2.0.0")));
        Assert.Equal(before + 1, FSharpCoreBinding.Redirects);
        Assert.Null(handler.DynamicInvoke(AssemblyLoadContext.Default, Request("11.0.0.0")));
        Assert.Null(handler.DynamicInvoke(AssemblyLoadContext.Default, Request("1.0.0.0", token: "cc7b13ffcd2ddd51", name: "Plotly.NET")));

        // handlers of this assembly's EnsembleKit.Plotting (the kernel-like context's copy has its own, see KernelLikeContext)
        static List<Delegate> Ours() => DefaultResolving.Handlers().Where(h => h.Method.Module.Assembly == typeof(FSharpCoreBinding).Assembly).ToList();
    }
}
