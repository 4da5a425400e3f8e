using System.Diagnostics;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// Runs a notebook where users run it: the .NET Interactive kernel app (the dotnet tool Microsoft.dotnet-interactive
/// 1.0.712001, kernel <c>.net-csharp</c>) driven by Jupyter's <c>jupyter nbconvert --execute</c>, in its own process,
/// with its own FSharp.Core and imports. <c>.ci/run</c> installs both (Debian's jupyter-nbconvert, the tool, and
/// <c>dotnet interactive jupyter install</c>); on a machine without them the tests that need it are skipped, saying so.
/// </summary>
public static class JupyterKernel
{
    public const string KernelName = ".net-csharp";

    static readonly Lazy<string?> s_unavailable = new(FindProblem);

    /// <summary>Why the kernel cannot be used here, or null when it can.</summary>
    public static string? Unavailable => s_unavailable.Value;

    static string ToolFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");

    static string? FindProblem()
    {
        var (code, output) = Execute("jupyter", ["kernelspec", "list"], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(1));
        if (code is null) return "jupyter is not installed (apt-get install jupyter-nbconvert jupyter-client; .ci/run does it)";
        if (!output.Contains(KernelName, StringComparison.Ordinal))
            return $"Jupyter has no {KernelName} kernel (dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001, then dotnet interactive jupyter install; .ci/run does it)";
        return null;
    }

    /// <summary>
    /// Executes a copy of <paramref name="notebookPath"/> with <paramref name="parameters"/> injected as <c>kit run -p</c>
    /// would, and returns the executed notebook. The copy sits beside the original (so the first cell's relative
    /// <c>#!import</c> path resolves, the kernel starting in the notebook's folder) under a hidden name, and is deleted
    /// afterwards. Throws, naming the cell and the error, when a cell fails.
    /// </summary>
    public static Notebook Run(string notebookPath, IReadOnlyDictionary<string, string> parameters, TimeSpan timeout)
    {
        if (Unavailable is { } why) throw new InvalidOperationException(why);
        var notebook = Notebook.Load(notebookPath);
        ParameterInjection.Inject(notebook, parameters);
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var stem = $".kernel-{Path.GetFileNameWithoutExtension(notebookPath)}-{Guid.NewGuid():N}";
        var input = Path.Combine(folder, stem + ".ipynb");
        var output = Path.Combine(folder, stem + ".out.ipynb");
        // Models the notebook caches go to a temp KIT_RUNS, as in TestNotebooks' smoke runs: nothing is left in the
        // checkout, and both runs train from scratch.
        using var runs = new TempFolder();
        // The kernel app leaves a PowerShell host pipe in its temp folder when it stops: give it one we delete.
        using var temp = new TempFolder();
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp.Path };
        if (Environment.GetEnvironmentVariable("KIT_RUNS") is not { Length: > 0 }) environment["KIT_RUNS"] = runs.Path;
        try
        {
            notebook.Save(input);
            var (code, log) = Execute("jupyter",
                ["nbconvert", "--to", "notebook", "--execute", $"--ExecutePreprocessor.kernel_name={KernelName}",
                 $"--ExecutePreprocessor.timeout={(int)timeout.TotalSeconds}", "--output", Path.GetFileName(output), input],
                folder, timeout + TimeSpan.FromMinutes(2), environment);
            if (code != 0) throw new InvalidOperationException($"{Path.GetFileName(notebookPath)} failed in the .NET Interactive kernel (nbconvert exit {code}):\n{Tail(log)}");
            return Notebook.Load(output);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>The last part of a log, where nbconvert names the failing cell and its error.</summary>
    static string Tail(string log)
    {
        int at = log.LastIndexOf("CellExecutionError", StringComparison.Ordinal);
        var tail = at >= 0 ? log[at..] : log;
        return tail.Length > 6000 ? tail[..6000] : tail;
    }

    /// <summary>Runs a program, returning its exit code (null when it cannot be started) and its output and errors.</summary>
    static (int? Code, string Output) Execute(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        // `dotnet interactive` is a global tool: make sure its folder is on the kernel's PATH.
        start.Environment["PATH"] = $"{Environment.GetEnvironmentVariable("PATH")}{Path.PathSeparator}{ToolFolder}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception) { return (null, ""); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}

/// <summary>
/// A theory that needs the Jupyter-driven .NET Interactive kernel: skipped, with the reason, on a machine without it,
/// but never under CI (<c>CI=true</c>, which .ci/run's machine sets), where a missing kernel fails the test.
/// </summary>
public sealed class JupyterKernelTheoryAttribute : TheoryAttribute
{
    public JupyterKernelTheoryAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && JupyterKernel.Unavailable is { } why) Skip = why;
    }
}
