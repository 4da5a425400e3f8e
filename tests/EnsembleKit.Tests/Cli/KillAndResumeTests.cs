using System.Diagnostics;

namespace EnsembleKit.Tests.Cli;

/// <summary>A training run killed with SIGKILL mid-run and restarted resumes from its last checkpoint.</summary>
public class KillAndResumeTests
{
    static Process StartKit(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // A .NET process killed with SIGKILL leaves its diagnostic pipes and socket (clr-debug-pipe-*, dotnet-diagnostic-*)
        // in the temp folder; without diagnostics it creates none.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Sequentially one member (its file member.member0); in lockstep two members in one file (member.lockstep).
    static string[] Job(string output, string? checkpoint, bool lockstep) =>
    [
        "reproduce", "fmnist-deep-ensemble", "--epochs", "8", "--members", lockstep ? "2" : "1", "--train-limit", "6000", "--threads", "1",
        "--out", output, .. checkpoint is null ? Array.Empty<string>() : ["--checkpoint", checkpoint], .. lockstep ? ["--lockstep"] : Array.Empty<string>(),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KilledRunResumesAndReachesTheSameNumbers(bool lockstep)
    {
        using var temp = new TempFolder();
        var root = temp.Path;
        string checkpoints = Path.Combine(root, "ckpt"), killedOut = Path.Combine(root, "killed"), cleanOut = Path.Combine(root, "clean");
        var checkpointFile = Path.Combine(checkpoints, lockstep ? "member.lockstep" : "member.member0");

        using (var victim = StartKit(Job(killedOut, checkpoints, lockstep)))
        {
            try
            {
                var clock = Stopwatch.StartNew();
                while (!File.Exists(checkpointFile) && !victim.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
                Assert.True(File.Exists(checkpointFile), "no checkpoint appeared");
                Assert.False(victim.HasExited, "the run finished before it could be killed");
            }
            finally
            {
                // SIGKILL; also when an assertion failed, so that no run outlives the test and writes into its deleted folder
                if (!victim.HasExited) victim.Kill(entireProcessTree: true);
                victim.WaitForExit();
            }
        }
        Assert.False(File.Exists(Path.Combine(killedOut, "results.csv")));

        using (var resumed = StartKit(Job(killedOut, checkpoints, lockstep))) { resumed.WaitForExit(); Assert.Equal(0, resumed.ExitCode); }
        using (var clean = StartKit(Job(cleanOut, null, lockstep))) { clean.WaitForExit(); Assert.Equal(0, clean.ExitCode); }

        Assert.Equal(File.ReadAllText(Path.Combine(cleanOut, "results.csv")), File.ReadAllText(Path.Combine(killedOut, "results.csv")));
    }
}
