using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// Loads the kernel extensions that <c>#r "nuget:"</c> packages ship in <c>interactive-extensions/dotnet/</c>, as the
/// kernel app does (its loader is part of the app, not of the libraries): after a command that added packages, every
/// <see cref="IKernelExtension"/> in the folder's DLLs is created and loaded, then the folder's <c>extension.dib</c>
/// script, if any, runs. That is how Plotly.NET.Interactive and Microsoft.Data.Analysis register their formatters.
/// </summary>
sealed class PackageExtensionLoader : IDisposable
{
    const string ExtensionScript = "extension.dib";
    readonly ConcurrentQueue<string> _pending = new();
    readonly HashSet<string> _loaded = new(StringComparer.Ordinal);
    readonly IDisposable _subscription;

    public PackageExtensionLoader(CompositeKernel kernel)
    {
        _subscription = kernel.KernelEvents.Subscribe(new KernelEventObserver(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root }) _pending.Enqueue(root);
        }));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (_pending.TryDequeue(out var root))
            {
                var folder = new DirectoryInfo(Path.Combine(root, "interactive-extensions", "dotnet"));
                if (folder.Exists && _loaded.Add(folder.FullName)) await LoadAsync(folder, kernel, context);
            }
        });
    }

    static async Task LoadAsync(DirectoryInfo folder, CompositeKernel kernel, KernelInvocationContext context)
    {
        foreach (var dll in folder.GetFiles("*.dll", SearchOption.TopDirectoryOnly))
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll.FullName);
            var types = assembly.ExportedTypes
                .Where(t => !t.IsAbstract && !t.IsInterface && !t.IsGenericTypeDefinition && typeof(IKernelExtension).IsAssignableFrom(t))
                .ToList();
            if (types.Count > 0) KernelInvocationContextExtensions.Display(context, $"Loading extensions from `{assembly.Location}`");
            foreach (var type in types)
            {
                var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                try
                {
                    await extension.OnLoadAsync(kernel);
                    context.Publish(new KernelExtensionLoaded(extension, context.Command));
                }
                catch (Exception e)
                {
                    context.Fail(context.Command, e, $"Failed to load kernel extension \"{type.Name}\" from {assembly.Location}: {e.Message}");
                }
            }
        }
        var script = new FileInfo(Path.Combine(folder.FullName, ExtensionScript));
        if (script.Exists)
        {
            KernelInvocationContextExtensions.Display(context, $"Loading extension script from `{script.FullName}`");
            await kernel.LoadAndRunInteractiveDocument(script, context.Command);
        }
    }

    public void Dispose() => _subscription.Dispose();
}
