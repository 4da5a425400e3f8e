using System.Diagnostics;

namespace EnsembleKit.Tests.Packaging;

/// <summary>Runs a program to the end for the packaging tests; throws with its output when it fails or overruns.</summary>
public static class ProcessRun
{
    /// <summary>Runs <paramref name="program"/> and returns its output and errors; throws unless it exits 0.</summary>
    public static string Run(string program, IEnumerable<string> arguments, string workingFolder, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var (code, output) = RunAllowingFailure(program, arguments, workingFolder, timeout, environment);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {code}:\n{Tail(output)}");
        return output;
    }

    /// <summary>Runs <paramref name="program"/>; returns its exit code and its output and errors.</summary>
    public static (int Code, string Output) RunAllowingFailure(string program, IEnumerable<string> arguments, string workingFolder,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        // The test host's MSBuild variables would point child builds at this test's SDK resolution: drop them.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(name);
        var tools = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools");
        start.Environment["PATH"] = $"{Environment.GetEnvironmentVariable("PATH")}{Path.PathSeparator}{tools}";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    static string Tail(string log) => log.Length > 8000 ? log[^8000..] : log;
}
