using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace EnsembleKit.Plotting;

/// <summary>
/// Lets Plotly.NET run on the FSharp.Core a host has already loaded. Plotly.NET 6.0.0 is built against
/// FSharp.Core 10.1, while the .NET Interactive kernel (the Polyglot / Jupyter kernel, tool 1.0.712001) loads its own
/// FSharp.Core 10.0 into the default load context at start-up; a second FSharp.Core cannot be loaded there, so the
/// first chart failed with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". The resolver below
/// answers such a request with the FSharp.Core already loaded when both share the major version (F# keeps binary
/// compatibility within a major version: the minor release adds API, and Plotly.NET's calls exist in 10.0; the
/// tests run every chart builder against FSharp.Core 10.0). Any other request is left to the runtime.
/// Installed when this assembly is first used (module initializer), so a notebook needs no extra line.
/// </summary>
public static class FSharpCoreBinding
{
    const string FSharpCore = "FSharp.Core";
    static int s_installed;
    static int s_redirects;

    /// <summary>How many FSharp.Core requests were answered with an already-loaded copy in this process.</summary>
    public static int Redirects => Volatile.Read(ref s_redirects);

    /// <summary>Installs the resolver on the default load context; idempotent.</summary>
#pragma warning disable CA2255 // a module initializer is the one place that runs before any Plotly.NET type is touched
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (context, name) => Resolve(context.Assemblies, name);
    }

    /// <summary>
    /// The FSharp.Core among <paramref name="loaded"/> that can serve a request for <paramref name="requested"/>:
    /// same name and public key token, same major version. Null when the request is not for FSharp.Core or no
    /// loaded copy fits.
    /// </summary>
    public static Assembly? Resolve(IEnumerable<Assembly> loaded, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, FSharpCore, StringComparison.OrdinalIgnoreCase)) return null;
        var token = requested.GetPublicKeyToken();
        foreach (var assembly in loaded)
        {
            var name = assembly.GetName();
            if (!string.Equals(name.Name, FSharpCore, StringComparison.OrdinalIgnoreCase)) continue;
            if (requested.Version is { } wanted && name.Version is { } have && wanted.Major != have.Major) continue;
            if (token is { Length: > 0 } && !token.AsSpan().SequenceEqual(name.GetPublicKeyToken())) continue;
            Interlocked.Increment(ref s_redirects);
            return assembly;
        }
        return null;
    }
}
