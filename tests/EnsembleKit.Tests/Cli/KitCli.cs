using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Cli;
using TorchSharp;

namespace EnsembleKit.Tests.Cli;

/// <summary>
/// Runs <c>kit</c> for tests: in this process (fast; what <see cref="Program.Main"/> returns and writes to stderr), or
/// as a separate process for what only a process shows: its real exit code (134 for an unhandled exception), its
/// environment, its working folder and what it does once per process.
/// </summary>
public static class KitCli
{
    /// <summary>The kit settings variables, removed from a child's environment unless a test sets them.</summary>
    static readonly string[] Settings = ["KIT_DEVICE", "KIT_THREADS", "KIT_SEED", "KIT_DEBUG"];

    /// <summary>
    /// Runs <see cref="Program.Main"/> here; returns its exit code and what it wrote to stderr. libtorch's thread count
    /// is put back afterwards: a command's <c>--threads 1</c> would otherwise hold for the rest of the test process,
    /// and the notebooks' smoke runs of later tests would compute with one thread where the kernel uses all cores
    /// (their last digits then differ from the kernel's, as a CI run showed).
    /// </summary>
    public static (int Code, string Stderr) RunInProcess(params string[] args)
    {
        TorchRuntime.EnsureInitialized();
        var threads = torch.get_num_threads();
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try { return (Program.Main(args), stderr.ToString()); }
        finally
        {
            Console.SetError(original);
            torch.set_num_threads(threads);
        }
    }

    /// <summary>Runs the built <c>kit</c> to the end; <paramref name="environment"/> adds or overrides variables.</summary>
    public static (int Code, string Stdout, string Stderr) RunProcess(string[] args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingFolder = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DOTNET_EnableDiagnostics"] = "0"; // no diagnostic pipes left in the temp folder
        foreach (var name in Settings) info.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        if (workingFolder is not null) info.WorkingDirectory = workingFolder;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>The lines of <paramref name="text"/> that are not blank.</summary>
    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Sets an environment variable of this process until disposed (tests run one at a time: xunit.runner.json).</summary>
    public static IDisposable Environment(string name, string? value)
    {
        var previous = System.Environment.GetEnvironmentVariable(name);
        System.Environment.SetEnvironmentVariable(name, value);
        return new Restore(() => System.Environment.SetEnvironmentVariable(name, previous));
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
