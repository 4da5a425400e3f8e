using System.Security.Cryptography;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Cli;

/// <summary>
/// Members across machines on a real, one-node Slurm (<see cref="LocalSlurm"/>): lib/EnsembleKit.Cli/Cluster/slurm-ensemble.sh
/// submits the members as a job array and the combine job after them; its table equals the one-machine
/// <c>kit reproduce fmnist-deep-ensemble</c> for the same recipe and thread count, and after a member is cancelled
/// mid-run, resubmitting completes it from its checkpoint without touching the finished members.
/// </summary>
public class SlurmIntegrationTests
{
    const string Experiment = "fmnist-deep-ensemble";
    const int Members = 3;
    const int TrainLimit = 2000;
    static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    static string Script => Path.Combine(TestSupport.RepoRoot, "lib", "EnsembleKit.Cli", "Cluster", "slurm-ensemble.sh");

    [SlurmFact]
    public void JobArrayCombinesToTheOneMachineTableAndResubmittingCompletesAKilledMember()
    {
        using var work = new TempFolder();
        using var cluster = LocalSlurm.Start();

        // The array and its combine job, 3 members of 1 epoch on 2,000 images, against the main job on one machine.
        var runs = Path.Combine(work.Path, "runs-1-epoch");
        var (array, combine) = Submit(cluster, runs, epochs: 1);
        Assert.True(cluster.WaitForJob(combine, JobTimeout) == "COMPLETED", $"combine job {combine} did not complete.\n{JobLogs(runs)}");
        for (int i = 0; i < Members; i++) Assert.Equal("COMPLETED", cluster.JobState($"{array}_{i}").State);
        Assert.Equal(ReferenceCsv(work, epochs: 1), File.ReadAllText(Path.Combine(runs, Experiment, "combined", "results.csv")));

        // 20 epochs (a few seconds a member), two at a time: member 2 is cancelled after its first checkpoint.
        runs = Path.Combine(work.Path, "runs-killed");
        var members = Path.Combine(runs, Experiment);
        string Member(int i, string file) => Path.Combine(members, $"member-{i:000}", file);
        (array, combine) = Submit(cluster, runs, epochs: 20);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!(File.Exists(Member(0, "manifest.json")) && File.Exists(Member(1, "manifest.json")) && File.Exists(Member(2, "checkpoint")))
               && clock.Elapsed < JobTimeout)
            Thread.Sleep(20);
        Assert.True(File.Exists(Member(2, "checkpoint")), $"member 2 wrote no checkpoint.\n{JobLogs(runs)}");
        var (code, output) = cluster.Client("scancel", array, combine);
        Assert.True(code == 0, output);
        cluster.WaitUntilIdle(JobTimeout);
        Assert.False(File.Exists(Member(2, "manifest.json")), "member 2 finished before it could be cancelled");
        Assert.Equal("CANCELLED", cluster.JobState($"{array}_2").State.Split(' ')[0]);
        int epochsDone = Checkpoint.EpochsDone(Member(2, "checkpoint"));
        Assert.InRange(epochsDone, 1, 19);
        var finished = Snapshot(members, 0, 1);

        (array, combine) = Submit(cluster, runs, epochs: 20);
        Assert.True(cluster.WaitForJob(combine, JobTimeout) == "COMPLETED", $"combine job {combine} did not complete.\n{JobLogs(runs)}");
        Assert.Equal(finished, Snapshot(members, 0, 1));
        for (int i = 0; i < 2; i++) Assert.Contains($"member {i} is already complete", TaskLog(runs, array, i));
        Assert.Contains($"member 2 done (resumed after epoch {epochsDone})", TaskLog(runs, array, 2));
        Assert.True(File.Exists(Member(2, "manifest.json")));
        Assert.Equal(ReferenceCsv(work, epochs: 20), File.ReadAllText(Path.Combine(members, "combined", "results.csv")));
    }

    /// <summary>Runs the script's submit step; returns the array's and the combine job's ids.</summary>
    static (string Array, string Combine) Submit(LocalSlurm cluster, string runs, int epochs)
    {
        var environment = new Dictionary<string, string>(cluster.Environment)
        {
            ["RUNS"] = runs,
            ["KIT"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "kit.dll")}",
            ["EXPERIMENT"] = Experiment,
            ["MEMBERS"] = Members.ToString(),
            ["EPOCHS"] = epochs.ToString(),
            ["SEED"] = "0",
            ["TRAIN_LIMIT"] = TrainLimit.ToString(),
            ["PARALLEL"] = "2",
            ["CPUS"] = "1",
            // One libtorch thread a member, as in the reference run: the same thread count gives the same numbers.
            ["KIT_THREADS"] = "1",
            ["KIT_DEVICE"] = "cpu",
            ["KIT_DEBUG"] = "0",
            ["DOTNET_EnableDiagnostics"] = "0", // a cancelled .NET process would leave its diagnostic pipes in /tmp
        };
        var (code, output) = LocalSlurm.Run("bash", [Script], environment, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"slurm-ensemble.sh failed ({code}): {output}");
        var ids = output.Trim().Split(' ');
        Assert.Equal(2, ids.Length);
        return (ids[0], ids[1]);
    }

    /// <summary>The main job's results.csv for the same recipe on this machine, one thread.</summary>
    static string ReferenceCsv(TempFolder work, int epochs)
    {
        var output = Path.Combine(work.Path, $"reference-{epochs}");
        var (code, _, stderr) = KitCli.RunProcess(["reproduce", Experiment, "--members", Members.ToString(), "--epochs", epochs.ToString(),
            "--train-limit", TrainLimit.ToString(), "--seed", "0", "--threads", "1", "--device", "cpu", "--out", output]);
        Assert.True(code == 0, stderr);
        return File.ReadAllText(Path.Combine(output, "results.csv"));
    }

    /// <summary>Every file of the given members: name, modification time and SHA-256.</summary>
    static string Snapshot(string members, params int[] indices) => string.Join('\n', indices
        .SelectMany(i => Directory.GetFiles(Path.Combine(members, $"member-{i:000}")).Order())
        .Select(f => $"{f} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"));

    static string TaskLog(string runs, string array, int index) =>
        File.ReadAllText(Path.Combine(runs, "slurm-logs", $"kit-{Experiment}-{array}_{index}.out"));

    static string JobLogs(string runs)
    {
        var folder = Path.Combine(runs, "slurm-logs");
        return !Directory.Exists(folder) ? "(no job logs)" : string.Join('\n', Directory.GetFiles(folder).Order()
            .Select(f => $"--- {Path.GetFileName(f)}\n{string.Join('\n', File.ReadLines(f).TakeLast(8))}"));
    }
}
